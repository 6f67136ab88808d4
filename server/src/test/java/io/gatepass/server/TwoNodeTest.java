package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.Assertions.AppKey;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Gatepass nodes on one PostgreSQL database, as behind a load balancer. Runs in the PostgreSQL test run. */
class TwoNodeTest {
    private static final String ISSUER = "http://gatepass.test";

    @TempDir
    Path dataDir;
    TestServer a;
    TestServer b;

    @BeforeEach
    void start() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServer.onPostgres(), "two nodes need the PostgreSQL store");
        ServerConfig shared = TestServer.config(dataDir).toBuilder().issuer(ISSUER).port(0).build();
        a = TestServer.wrap(dataDir, GatepassServer.start(shared));
        b = TestServer.wrap(dataDir, GatepassServer.start(shared));
    }

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    private static void within(Duration bound, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + bound).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void nodesWhenStartedTogetherThenOneKeyRingAndTokensOfOneVerifyWithTheOthersJwks() throws Exception {
        assertThat(b.get("/.well-known/jwks.json").body()).isEqualTo(a.get("/.well-known/jwks.json").body());
        GrantedApp granted = a.grantedApp(List.of("read"), "read");
        String token = a.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);

        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = (RSAKey) JWKSet.parse(b.get("/.well-known/jwks.json").body()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(b.introspect(granted.app(), token).json().get("active").asBoolean()).isTrue();
    }

    @Test
    void appWhenCreatedOnOneNodeThenTheOtherIssuesTokensWithinASecond() throws Exception {
        String identifier = TestServer.uniqueIdentifier();
        String apiId = a.createApi(identifier, "read");
        App app = a.createApp("made on A", null);
        // B looks first, so that it has cached "no such grant"
        b.tokenRequest(app, "audience", identifier).assertOAuthError(400, "invalid_target");

        a.grant(app.clientId(), apiId, "read");

        within(Duration.ofSeconds(1), "B sees A's grant", () -> b.tokenRequest(app, "audience", identifier).status() == 200);
    }

    @Test
    void appWhenBlockedOnOneNodeThenItsTokensAreVoidOnTheOther() throws Exception {
        GrantedApp granted = a.grantedApp(List.of("read"), "read");
        String token = a.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);
        assertThat(a.introspect(TestServer.ADMIN, token).json().get("active").asBoolean()).isTrue();

        b.admin("PATCH", "/admin/clients/" + granted.app().clientId(), "{\"status\":\"blocked\"}");

        within(Duration.ofSeconds(1), "A voids the token", () -> !a.introspect(TestServer.ADMIN, token).json().get("active").asBoolean());
        within(Duration.ofSeconds(1), "A refuses new tokens", () -> a.tokenRequest(granted.app(), "audience", granted.identifier()).status() == 400);
        assertThat(a.get("/oauth/revocations").json().get("clients").toString()).contains(granted.app().clientId());
    }

    @Test
    void registrationWhenInitialTokenUsedOnBothNodesThenItsMaxUsesHoldsAndTheAppWorksOnEither() throws Exception {
        String identifier = TestServer.uniqueIdentifier();
        String apiId = a.createApi(identifier, "read");
        String token = a.admin("POST", "/admin/initial-access-tokens", "{\"max_uses\":1,\"grants\":[{\"api_id\":\""
                + apiId + "\",\"scopes\":[\"read\"]}]}").json().get("token").asText();
        // both nodes at once: exactly one registration is let through
        List<TestServer> nodes = List.of(a, b);
        List<Integer> statuses = nodes.parallelStream().map(node -> node.send("POST", "/oauth/register", "application/json",
                "{\"client_name\":\"partner\"}", "Authorization", "Bearer " + token).status()).toList();
        assertThat(statuses).containsExactlyInAnyOrder(201, 401);

        var registered = a.send("POST", "/oauth/register", "application/json", "{\"client_name\":\"by admin\"}",
                "Authorization", "Bearer " + a.adminToken()).json();
        var initialApp = a.admin("GET", "/admin/clients?limit=200", null).json();
        String partnerId = null;
        for (var app : initialApp) {
            if (app.get("client_name").asText().equals("partner")) partnerId = app.get("client_id").asText();
        }
        assertThat(partnerId).isNotNull();
        assertThat(a.admin("GET", "/admin/clients/" + partnerId + "/grants", null).json().size()).isEqualTo(1);
        String clientUri = "/oauth/register/" + registered.get("client_id").asText();
        String ownToken = registered.get("registration_access_token").asText();
        within(Duration.ofSeconds(1), "B reads the registration made on A", () -> b.send("GET", clientUri, null, null,
                "Authorization", "Bearer " + ownToken).status() == 200);
        App app = new App(registered.get("client_id").asText(), registered.get("client_secret").asText());
        assertThat(b.send("DELETE", clientUri, null, null, "Authorization", "Bearer " + ownToken).status()).isEqualTo(204);
        within(Duration.ofSeconds(1), "A forgets the app deleted on B",
                () -> a.tokenRequest(app, "audience", identifier).status() == 401);
    }

    @Test
    void trustedIssuerWhenAddedOrDisabledOnOneNodeThenTheOtherFollowsWithinASecond() throws Exception {
        AppKey cluster = Assertions.generate("ES256", "cluster");
        String issuer = "https://kubernetes-" + java.util.UUID.randomUUID() + ".example";
        String identifier = TestServer.uniqueIdentifier();
        String apiId = a.createApi(identifier, "read");
        String clientId = a.admin("POST", "/admin/clients", "{\"client_name\":\"workload\",\"token_endpoint_auth_method\":"
                + "\"federated_jwt\"}").json().get("client_id").asText();
        a.grant(clientId, apiId, "read");
        java.util.function.Supplier<Response> tokenAtB = () -> {
            try {
                String platformToken = Assertions.sign(cluster, new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(issuer)
                        .subject("system:serviceaccount:prod:app").audience(ISSUER)
                        .expirationTime(java.util.Date.from(Instant.now().plusSeconds(300))).build());
                return b.tokenForm(TestServer.params("grant_type", "client_credentials", "client_id", clientId,
                        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion", platformToken, "audience", identifier));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        // B looks first, so that it has cached "no such issuer"
        tokenAtB.get().assertOAuthError(401, "invalid_client");

        String issuerId = a.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"" + issuer + "\",\"preset\":\"kubernetes\","
                + "\"jwks\":{\"keys\":[" + cluster.jwk().toPublicJWK().toJSONString() + "]}}").json().get("id").asText();
        a.admin("POST", "/admin/clients/" + clientId + "/federated-credentials", "{\"issuer_id\":\"" + issuerId
                + "\",\"subject\":\"system:serviceaccount:prod:app\"}");
        within(Duration.ofSeconds(1), "B trusts the issuer added on A", () -> tokenAtB.get().status() == 200);

        a.admin("PATCH", "/admin/trusted-issuers/" + issuerId, "{\"status\":\"disabled\"}");
        within(Duration.ofSeconds(1), "B refuses the issuer disabled on A", () -> tokenAtB.get().status() == 401);
    }

    @Test
    void dpopProofWhenUsedAtOneNodeThenRefusedAtTheOtherOnceTheBatchIsWritten() throws Exception {
        GrantedApp granted = a.grantedApp(List.of("read"), "read");
        within(Duration.ofSeconds(1), "B knows the app", () -> b.tokenRequest(granted.app(), "audience", granted.identifier()).status() == 200);
        String proof = new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(
                new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate(),
                com.nimbusds.jose.JWSAlgorithm.ES256).createDPoPJWT("POST", java.net.URI.create(ISSUER + "/oauth/token")).serialize();
        String basic = TestServer.basic(granted.app().clientId(), granted.app().secret());
        var params = TestServer.params("grant_type", "client_credentials", "audience", granted.identifier());
        assertThat(a.tokenForm(params, "Authorization", basic, "DPoP", proof).status()).isEqualTo(200);
        Thread.sleep(500); // the audit writer's batch (about 100 ms) has reached the database
        assertThat(b.tokenForm(params, "Authorization", basic, "DPoP", proof).assertOAuthError(400, "invalid_dpop_proof"))
                .contains("used before");
    }

    @Test
    void tokenBudgetWhenRequestsAreSpreadOverTwoNodesThenItHoldsForTheWholeNotPerNode() throws Exception {
        within(Duration.ofSeconds(15), "each node counts two nodes", () -> a.get("/metrics").body().contains("gatepass_nodes 2.0")
                && b.get("/metrics").body().contains("gatepass_nodes 2.0"));
        GrantedApp granted = a.grantedApp(List.of("read"), "read");
        a.admin("PATCH", "/admin/clients/" + granted.app().clientId(), "{\"token_rate_limit\":40}");
        within(Duration.ofSeconds(2), "B knows the limit", () -> b.admin("GET", "/admin/clients/" + granted.app().clientId(), null)
                .json().path("token_rate_limit").asInt() == 40);
        int issued = 0;
        for (int i = 0; i < 100; i++) {
            TestServer node = i % 2 == 0 ? a : b;
            if (node.tokenRequest(granted.app(), "audience", granted.identifier()).status() == 200) issued++;
        }
        // each node's share is 20 a minute: the whole is 40 (a little refill while the requests run), not 80
        assertThat(issued).isBetween(40, 44);
    }

    @Test
    void assertionWhenUsedAtOneNodeThenRefusedAtTheOther() throws Exception {
        AppKey key = Assertions.generate("ES256", "shared");
        String identifier = TestServer.uniqueIdentifier();
        String apiId = a.createApi(identifier, "read");
        String clientId = PrivateKeyJwtTest.keyApp(a, apiId, key);
        String assertion = Assertions.sign(key, Assertions.claims(clientId, ISSUER + "/oauth/token", Instant.now()).build());

        assertThat(PrivateKeyJwtTest.tokenWithAssertion(a, assertion, identifier).status()).isEqualTo(200);
        within(Duration.ofSeconds(1), "B knows the app", () -> b.tokenRequest(new App(clientId, "x"), "audience", identifier).status() == 401);

        assertThat(PrivateKeyJwtTest.tokenWithAssertion(b, assertion, identifier).assertOAuthError(401, "invalid_client"))
                .contains("used before");
    }

    @Test
    void nodeWhenOtherNodeStopsThenKeepsServing() throws Exception {
        GrantedApp granted = a.grantedApp(List.of("read"), "read");
        a.close();
        a = null;

        assertThat(b.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        assertThat(b.admin("GET", "/admin/clients/" + granted.app().clientId(), null).status()).isEqualTo(200);
    }

    @Test
    void databaseWhenRestartedUnderTokenLoadThenBothNodesRecoverOnTheirOwn() throws Exception {
        GrantedApp granted = a.grantedApp(List.of("read"), "read");
        // both nodes have the app in memory before the database goes away: B may hear A's announcements of the app
        // (polled every 250 ms) after its first load, dropping the entry, so it loads it again once they are in
        assertThat(a.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        assertThat(b.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        Thread.sleep(750);
        assertThat(a.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        assertThat(b.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        assertThat(b.admin("GET", "/admin/apis", null).status()).as("B holds a management token").isEqualTo(200);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> load = List.of(a, b).stream().map(node -> Thread.ofVirtual().start(() -> {
            while (running.get()) {
                int status = node.tokenRequest(granted.app(), "audience", granted.identifier()).status();
                if (status == 200) issued.incrementAndGet(); else failed.incrementAndGet();
            }
        })).toList();

        PostgresCluster.shared().kill();
        try {
            Thread.sleep(500);
            int issuedWhileDown = issued.get();
            Thread.sleep(500);
            assertThat(issued.get()).as("tokens from memory while the database is down").isGreaterThan(issuedWhileDown);
            assertThat(a.get("/health/ready").status()).isEqualTo(503);
            Response management = b.admin("GET", "/admin/clients", null);
            assertThat(management.assertProblem(503)).contains("database");
            assertThat(management.header("Retry-After")).isNotBlank();
        } finally {
            PostgresCluster.shared().restart();
        }

        within(Duration.ofSeconds(15), "A ready again", () -> a.get("/health/ready").status() == 200);
        within(Duration.ofSeconds(15), "B ready again", () -> b.get("/health/ready").status() == 200);
        within(Duration.ofSeconds(15), "management on A again", () -> a.admin("GET", "/admin/clients", null).status() == 200);
        within(Duration.ofSeconds(15), "management on B again", () -> b.admin("GET", "/admin/clients", null).status() == 200);
        App later = a.createApp("after the restart", null);
        a.grant(later.clientId(), granted.apiId(), "read");
        within(Duration.ofSeconds(5), "B hears changes again", () -> b.tokenRequest(later, "audience", granted.identifier()).status() == 200);
        running.set(false);
        for (Thread thread : load) thread.join();
        assertThat(failed.get()).as("no token request failed: the app was in memory").isZero();
    }
}
