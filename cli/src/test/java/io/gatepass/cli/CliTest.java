package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code gatepass} commands against a real server on a random port, in table and JSON output. */
class CliTest {
    private static final String ADMIN_SECRET = "cli-test-bootstrap-secret-0123456789-abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static GatepassServer server;

    @BeforeAll
    static void start() {
        server = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dataDir)
                .bootstrapAdminSecret(ADMIN_SECRET).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + out + err, e);
            }
        }

        Run ok() {
            assertThat(exitCode).as(out + err).isZero();
            return this;
        }
    }

    /** Runs {@code gatepass <args>} as the app {@code clientId}. */
    static Run as(String clientId, String secret, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + server.port(), "--client-id", clientId, "--client-secret", secret));
        return raw(all.toArray(String[]::new));
    }

    /** Runs {@code gatepass <args>} against {@code on} (another server than this class's) as the app. */
    static Run on(GatepassServer on, String clientId, String secret, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + on.port(), "--client-id", clientId, "--client-secret", secret));
        return raw(all.toArray(String[]::new));
    }

    static Run admin(String... args) {
        return as("gatepass-admin", ADMIN_SECRET, args);
    }

    static Run raw(String... args) {
        picocli.CommandLine cli = GatepassCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    record App(String clientId, String secret) {
    }

    static App createApp(String name) {
        Run run = admin("apps", "create", "--name", name, "-o", "json").ok();
        assertThat(run.err()).contains("Save the client_secret now");
        return new App(run.json().get("client_id").asText(), run.json().get("client_secret").asText());
    }

    static String identifier() {
        return "https://archive-" + java.util.UUID.randomUUID() + ".example.com";
    }

    @Test
    void briefScenarioWhenRunFromTheCommandLineThenWriterAndReaderGetTheirScopesAndBlockingStopsTheWriter() throws Exception {
        String storage = identifier();
        Run created = admin("apis", "create", "--identifier", storage, "--name", "Storage",
                "--scope", "archive:write=Write archives", "--scope", "archive:read=Read archives").ok();
        assertThat(created.out()).contains(storage).contains("archive:write archive:read");
        App archiver = createApp("archiver");
        App reader = createApp("reader");
        admin("grants", "set", archiver.clientId(), storage, "--scope", "archive:write").ok();
        Run readerGrant = admin("grants", "set", reader.clientId(), storage, "--scope", "archive:read", "-o", "json").ok();
        assertThat(readerGrant.json().get("scopes").get(0).asText()).isEqualTo("archive:read");

        String writeToken = as(archiver.clientId(), archiver.secret(), "token", "--audience", storage).ok().out().trim();
        String readToken = as(reader.clientId(), reader.secret(), "token").ok().out().trim(); // its one grant
        assertThat(SignedJWT.parse(writeToken).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("archive:write");
        assertThat(SignedJWT.parse(readToken).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("archive:read");
        Run introspected = admin("introspect", writeToken).ok();
        assertThat(introspected.out()).containsPattern("active\\s+true").contains(archiver.clientId());

        Run blocked = admin("apps", "block", archiver.clientId()).ok();
        assertThat(blocked.out()).contains("is blocked");

        assertThat(admin("introspect", writeToken).exitCode()).isEqualTo(ExitCode.INACTIVE);
        assertThat(admin("introspect", writeToken, "-o", "json").json().get("active").asBoolean()).isFalse();
        Run refused = as(archiver.clientId(), archiver.secret(), "token", "--audience", storage);
        assertThat(refused.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(refused.err()).contains("blocked");
        assertThat(admin("introspect", readToken).exitCode()).as("the reader is untouched").isZero();

        Run table = admin("apps", "list", "--limit", "1000").ok();
        assertThat(table.out()).startsWith("CLIENT ID").containsPattern(archiver.clientId() + "\\s+archiver\\s+blocked");
        JsonNode apps = admin("apps", "list", "--limit", "1000", "-o", "json").ok().json();
        assertThat(apps.findValuesAsText("client_id")).contains(archiver.clientId(), reader.clientId());
        Run audit = admin("audit", "--app", archiver.clientId(), "--type", "client.blocked", "-o", "json").ok();
        assertThat(audit.json()).hasSize(1);
        assertThat(audit.json().get(0).get("actor").asText()).isEqualTo("gatepass-admin");
    }

    @Test
    void apisWhenShownUpdatedAndDeletedByIdentifierThenEachWorks() {
        String identifier = identifier();
        String id = admin("apis", "create", "--identifier", identifier, "--scope", "a", "-o", "json").ok().json().get("id").asText();

        assertThat(admin("apis", "show", identifier, "-o", "json").ok().json().get("id").asText()).isEqualTo(id);
        Run updated = admin("apis", "update", id, "--name", "Renamed", "--scope", "a", "--scope", "b", "--token-lifetime", "600").ok();
        assertThat(updated.out()).containsPattern("name\\s+Renamed").containsPattern("token_lifetime\\s+600");
        assertThat(admin("apis", "list", "--limit", "1000").ok().out()).contains(identifier);
        assertThat(admin("apis", "delete", identifier).ok().out()).contains("Deleted API " + id);
        assertThat(admin("apis", "show", id).exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void secretsAndGrantsWhenRotatedAndRemovedThenListsFollow() {
        App app = createApp("rotating");
        String identifier = identifier();
        admin("apis", "create", "--identifier", identifier, "--scope", "x").ok();
        admin("grants", "set", app.clientId(), identifier, "--scope", "x").ok();
        assertThat(admin("grants", "list", app.clientId()).ok().out()).contains(identifier);

        Run second = admin("apps", "secrets", "create", app.clientId(), "-o", "json").ok();
        assertThat(second.err()).contains("Save the client_secret now");
        String newSecret = second.json().get("client_secret").asText();
        JsonNode secrets = admin("apps", "secrets", "list", app.clientId(), "-o", "json").ok().json();
        assertThat(secrets).hasSize(2);
        assertThat(secrets.toString()).doesNotContain(app.secret()).doesNotContain(newSecret);
        String oldId = secrets.get(0).get("id").asText();
        admin("apps", "secrets", "delete", app.clientId(), oldId).ok();

        assertThat(as(app.clientId(), app.secret(), "token").exitCode()).isEqualTo(ExitCode.AUTH);
        as(app.clientId(), newSecret, "token").ok();
        admin("grants", "delete", app.clientId(), identifier).ok();
        assertThat(admin("grants", "list", app.clientId()).ok().out()).contains("(none)");
        assertThat(admin("apps", "revoke-tokens", app.clientId()).ok().out()).contains("Voided");
        admin("apps", "unblock", app.clientId()).ok();
        admin("apps", "delete", app.clientId()).ok();
        assertThat(admin("apps", "show", app.clientId()).exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void registrationTokensWhenCreatedThenAPartnerRegistersWithItAndListAndRevokeFollow() throws Exception {
        String identifier = identifier();
        admin("apis", "create", "--identifier", identifier, "--scope", "read", "--scope", "write").ok();
        Run created = admin("registration-tokens", "create", "--name", "partner", "--expires-in", "PT2H", "--max-uses", "2",
                "--grant", identifier + "=read", "-o", "json").ok();
        assertThat(created.err()).contains("shown only now");
        String token = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(token).startsWith("gpi_");
        assertThat(created.json().get("grants").get(0).get("scopes").toString()).isEqualTo("[\"read\"]");

        java.net.http.HttpResponse<String> registered = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/oauth/register"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"client_name\":\"partner app\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        JsonNode app = JSON.readTree(registered.body());
        as(app.get("client_id").asText(), app.get("client_secret").asText(), "token", "--audience", identifier,
                "--scope", "read").ok();

        Run list = admin("registration-tokens", "list").ok();
        assertThat(list.out()).startsWith("ID").contains(id).doesNotContain(token);
        assertThat(admin("registration-tokens", "list", "-o", "json").ok().json().get(0).get("uses_left").asInt()).isEqualTo(1);
        assertThat(admin("registration-tokens", "revoke", id).ok().out()).contains("Revoked");
        assertThat(admin("registration-tokens", "list").ok().out()).doesNotContain(id);
        assertThat(admin("registration-tokens", "revoke", id).exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(admin("registration-tokens", "create", "--grant", "no-equals-sign").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void claimsAndExchangeActorsWhenSetFromTheCommandLineThenInTokensAndClearable() throws Exception {
        String identifier = identifier();
        App app = createApp("tenant");
        App service = createApp("service");
        admin("apis", "create", "--identifier", identifier, "--scope", "read", "--token-exchange-actor", service.clientId()).ok();
        admin("apps", "update", app.clientId(), "--claims", "{\"tenant_id\":\"acme\"}").ok();
        admin("grants", "set", app.clientId(), identifier, "--scope", "read", "--claims", "{\"plan\":\"gold\"}").ok();
        String token = as(app.clientId(), app.secret(), "token", "--audience", identifier).ok().out().trim();
        com.nimbusds.jwt.JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringClaim("tenant_id")).isEqualTo("acme");
        assertThat(claims.getStringClaim("plan")).isEqualTo("gold");
        assertThat(admin("apis", "show", identifier, "-o", "json").ok().json().get("token_exchange_actors").get(0).asText())
                .isEqualTo(service.clientId());

        assertThat(admin("apps", "update", app.clientId(), "--claims", "{\"sub\":\"x\"}").exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(admin("apps", "update", app.clientId(), "--claims", "not json").exitCode()).isEqualTo(ExitCode.USAGE);
        admin("apps", "update", app.clientId(), "--claims=").ok();
        admin("apis", "update", identifier, "--token-exchange-actor=").ok();
        assertThat(admin("apis", "show", identifier, "-o", "json").ok().json().get("token_exchange_actors").size()).isZero();
        assertThat(admin("apps", "show", app.clientId(), "-o", "json").ok().json().get("claims").isNull()).isTrue();
    }

    @Test
    void issuersAndCredentialsWhenManagedFromTheCommandLineThenAWorkloadGetsTokensWithoutASecret(@TempDir Path dir) throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .keyID("cluster").generate();
        Path jwks = dir.resolve("cluster-jwks.json");
        java.nio.file.Files.writeString(jwks, new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());
        String cluster = "https://kubernetes-" + java.util.UUID.randomUUID() + ".example";
        JsonNode issuer = admin("issuers", "create", "--issuer", cluster, "--preset", "kubernetes", "--jwks-file", jwks.toString(),
                "-o", "json").ok().json();
        String identifier = identifier();
        admin("apis", "create", "--identifier", identifier, "--scope", "read").ok();
        JsonNode app = admin("apps", "create", "--name", "in-cluster", "--auth-method", "federated_jwt", "-o", "json").ok().json();
        assertThat(app.has("client_secret")).isFalse();
        String clientId = app.get("client_id").asText();
        admin("grants", "set", clientId, identifier, "--scope", "read").ok();
        admin("apps", "credentials", "add", clientId, "--issuer", issuer.get("id").asText(),
                "--subject", "system:serviceaccount:jobs:nightly").ok();
        assertThat(admin("apps", "credentials", "list", clientId).ok().out()).contains("system:serviceaccount:jobs:nightly");
        assertThat(admin("issuers", "list").ok().out()).contains(cluster);

        java.time.Instant now = java.time.Instant.now();
        com.nimbusds.jwt.SignedJWT token = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                com.nimbusds.jose.JWSAlgorithm.ES256).keyID("cluster").build(), new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer(cluster).subject("system:serviceaccount:jobs:nightly").audience(server.issuer())
                .expirationTime(java.util.Date.from(now.plusSeconds(300))).build());
        token.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        java.net.http.HttpResponse<String> issued = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/oauth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                                + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                                + "&client_assertion=" + token.serialize())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);

        admin("issuers", "update", issuer.get("id").asText(), "--status", "disabled").ok();
        assertThat(admin("issuers", "show", issuer.get("id").asText(), "-o", "json").ok().json().get("status").asText())
                .isEqualTo("disabled");
        admin("issuers", "delete", issuer.get("id").asText()).ok();
        assertThat(admin("apps", "credentials", "list", clientId).ok().out()).doesNotContain("nightly");
    }

    @Test
    void keysWhenRotatedAndDeletedThenTheRingFollows() {
        assertThat(admin("keys", "list").ok().out()).startsWith("KID").containsPattern("RS256\\s+current");

        Run next = admin("keys", "rotate", "-o", "json").ok();
        assertThat(next.json().get("status").asText()).isEqualTo("next");
        Run now = admin("keys", "rotate", "--alg", "ES256", "--immediate").ok();
        assertThat(now.out()).containsPattern("status\\s+current").containsPattern("alg\\s+ES256");
        assertThat(admin("keys", "list").ok().out()).containsPattern("RS256\\s+next");

        String kid = next.json().get("kid").asText();
        assertThat(admin("keys", "delete", kid).ok().out()).contains("Removed signing key " + kid);
        assertThat(admin("keys", "list").ok().out()).doesNotContain(kid);
        assertThat(admin("keys", "delete", kid).exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        // a thumbprint may begin with '-' (one in 32 does): it is a key id to look up, not a flag picocli cannot place
        Run dashed = admin("keys", "delete", "-Xq3aGjxPZLmDJmT7Fv-UE6Tv8NkqnJ7SX1Hr1Z3Mbk");
        assertThat(dashed.exitCode()).as(dashed.err()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(admin("keys", "list", "--no-such-flag").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void appsWhenCreatedWithKeysThenPrivateKeyJwtWithoutSecretAndUpdatable(@TempDir Path dir) throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .keyID("cli-key").generate();
        Path jwks = dir.resolve("jwks.json");
        java.nio.file.Files.writeString(jwks, new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());

        Run created = admin("apps", "create", "--name", "keyed", "--jwks-file", jwks.toString(), "-o", "json").ok();

        assertThat(created.json().get("token_endpoint_auth_method").asText()).isEqualTo("private_key_jwt");
        assertThat(created.json().has("client_secret")).isFalse();
        assertThat(created.err()).doesNotContain("Save the client_secret");
        String clientId = created.json().get("client_id").asText();
        Run updated = admin("apps", "update", clientId, "--jwks-uri", "https://keys.example.com/jwks.json", "-o", "json").ok();
        assertThat(updated.json().get("jwks_uri").asText()).isEqualTo("https://keys.example.com/jwks.json");
        assertThat(updated.json().has("jwks")).isFalse();
        assertThat(admin("apps", "update", clientId, "--jwks-uri", "http://plain.example.com/jwks").exitCode())
                .isEqualTo(ExitCode.INVALID);
        assertThat(admin("apps", "update", clientId).exitCode()).isEqualTo(ExitCode.USAGE);
        // a private address only where an admin allows it for the app
        assertThat(admin("apps", "update", clientId, "--jwks-uri", "https://10.1.2.3/jwks").exitCode())
                .isEqualTo(ExitCode.INVALID);
        Run allowed = admin("apps", "update", clientId, "--jwks-uri", "https://10.1.2.3/jwks", "--allow-private-network",
                "-o", "json").ok();
        assertThat(allowed.json().get("allow_private_network").asBoolean()).isTrue();
    }

    @Test
    void appsWhenGivenATokenBudgetAndReuseThenSetAndClearable() {
        Run created = admin("apps", "create", "--name", "budgeted", "--token-rate-limit", "30", "--reuse-tokens",
                "-o", "json").ok();
        assertThat(created.json().get("token_rate_limit").asInt()).isEqualTo(30);
        assertThat(created.json().get("reuse_tokens").asBoolean()).isTrue();
        String clientId = created.json().get("client_id").asText();

        Run updated = admin("apps", "update", clientId, "--token-rate-limit", "0", "--no-reuse-tokens", "-o", "json").ok();

        assertThat(updated.json().get("token_rate_limit").isNull()).isTrue();
        assertThat(updated.json().get("reuse_tokens").asBoolean()).isFalse();
    }

    @Test
    void appsWhenGivenSenderConstraintsThenDpopBoundAndTlsClientAuthBySpiffeId() {
        Run dpop = admin("apps", "create", "--name", "bound", "--dpop-bound", "-o", "json").ok();
        assertThat(dpop.json().get("dpop_bound_access_tokens").asBoolean()).isTrue();
        Run unbound = admin("apps", "update", dpop.json().get("client_id").asText(), "--no-dpop-bound", "-o", "json").ok();
        assertThat(unbound.json().get("dpop_bound_access_tokens").asBoolean()).isFalse();

        Run tls = admin("apps", "create", "--name", "mesh", "--tls-san-uri", "spiffe://example.org/ns/prod/sa/billing",
                "--cert-bound", "-o", "json").ok();
        assertThat(tls.json().get("token_endpoint_auth_method").asText()).isEqualTo("tls_client_auth");
        assertThat(tls.json().get("tls_client_auth_san_uri").asText()).isEqualTo("spiffe://example.org/ns/prod/sa/billing");
        assertThat(tls.json().get("tls_client_certificate_bound_access_tokens").asBoolean()).isTrue();
        assertThat(tls.json().has("client_secret")).isFalse();
        Run byDn = admin("apps", "update", tls.json().get("client_id").asText(), "--tls-subject-dn", "CN=billing,O=Example",
                "-o", "json").ok();
        assertThat(byDn.json().get("tls_client_auth_subject_dn").asText()).isEqualTo("CN=billing,O=Example");
        assertThat(byDn.json().has("tls_client_auth_san_uri")).isFalse();
        assertThat(admin("apps", "create", "--name", "x", "--tls-subject-dn", "CN=a", "--tls-san-uri", "spiffe://a/b").exitCode())
                .isEqualTo(ExitCode.INVALID);
    }

    @Test
    void apisAndAppsWhenGivenTokenProfileAndDefaultAudienceThenSetAndClearable() {
        String identifier = identifier();
        Run api = admin("apis", "create", "--identifier", identifier, "--scope", "read", "--token-profile", "jwt",
                "-o", "json").ok();
        assertThat(api.json().get("token_profile").asText()).isEqualTo("jwt");
        assertThat(admin("apis", "update", identifier, "--token-profile", "rfc9068", "-o", "json").ok()
                .json().get("token_profile").asText()).isEqualTo("rfc9068");

        Run created = admin("apps", "create", "--name", "spring", "--default-audience", identifier, "-o", "json").ok();
        assertThat(created.json().get("default_audience").asText()).isEqualTo(identifier);
        String clientId = created.json().get("client_id").asText();
        Run cleared = admin("apps", "update", clientId, "--default-audience=", "-o", "json").ok();
        assertThat(cleared.json().get("default_audience").isNull()).isTrue();
        assertThat(admin("apps", "create", "--name", "x", "--default-audience", "https://unknown.example.com").exitCode())
                .isEqualTo(ExitCode.INVALID);
    }

    @Test
    void failuresWhenRefusedThenMeaningfulExitCodesAndOneLineMessages() throws Exception {
        String identifier = identifier();
        admin("apis", "create", "--identifier", identifier).ok();

        Run duplicate = admin("apis", "create", "--identifier", identifier);
        assertThat(duplicate.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(duplicate.err()).startsWith("gatepass: ").contains("HTTP 409");
        assertThat(admin("apps", "show", "no-such-app").exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(admin("apis", "create", "--identifier", identifier(), "--scope", "bad scope").exitCode())
                .isEqualTo(ExitCode.INVALID);
        assertThat(as("gatepass-admin", "wrong-secret", "apps", "list").exitCode()).isEqualTo(ExitCode.AUTH);
        App plain = createApp("no admin scopes");
        Run forbidden = as(plain.clientId(), plain.secret(), "apps", "list");
        assertThat(forbidden.exitCode()).as(forbidden.err()).isEqualTo(ExitCode.AUTH);
        assertThat(raw("apps", "list", "--server", "http://127.0.0.1:" + server.port()).exitCode())
                .as("no credentials anywhere").isIn(ExitCode.USAGE, ExitCode.OK);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run unreachable = raw("apps", "list", "--server", "http://127.0.0.1:" + closedPort, "--client-id", "a", "--client-secret", "b");
        assertThat(unreachable.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(unreachable.err()).contains("cannot reach Gatepass");
        assertThat(raw("apps", "frobnicate").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void helpAndCompletionWhenAskedThenEveryCommandDocumented() {
        Run help = raw("--help").ok();
        assertThat(help.out()).contains("apis", "apps", "grants", "keys", "audit", "registration-tokens", "token", "introspect",
                "generate-completion", "GATEPASS_CLIENT_ID", "Exit codes", "issuers");
        for (String[] command : List.of(new String[] {"apps", "create", "--help"}, new String[] {"apps", "secrets", "create", "--help"},
                new String[] {"grants", "set", "--help"}, new String[] {"audit", "--help"}, new String[] {"token", "--help"})) {
            assertThat(raw(command).ok().out()).contains("GATEPASS_SERVER");
        }
        assertThat(raw("generate-completion").ok().out()).contains("complete").contains("gatepass");
    }
}
