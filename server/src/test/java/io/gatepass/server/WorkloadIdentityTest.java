package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.gatepass.server.TestServer.Response;
import io.gatepass.server.testing.MutableClock;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload identity federation against a real local issuer: an HTTP server started here serves OIDC discovery and
 * a JWKS, and mints tokens shaped like Kubernetes service-account tokens, GitHub Actions OIDC tokens and SPIFFE
 * JWT-SVIDs. Apps authenticate with them, with no secret and no key of their own.
 */
class WorkloadIdentityTest {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String JWT_SPIFFE = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";

    @TempDir
    Path dataDir;
    final MutableClock clock = new MutableClock();
    TestServer gatepass;
    HttpServer platform;
    final AtomicInteger discoveryFetches = new AtomicInteger();
    final AtomicInteger jwksFetches = new AtomicInteger();
    final AtomicReference<JWKSet> published = new AtomicReference<>();
    final AtomicInteger status = new AtomicInteger(200);
    RSAKey signing;
    String identifier;
    String apiId;

    @BeforeEach
    void start() throws Exception {
        gatepass = TestServer.start(dataDir, clock, true); // --dev: the test's issuer is http
        identifier = TestServer.uniqueIdentifier();
        apiId = gatepass.createApi(identifier, "deploy");
        signing = new RSAKeyGenerator(2048).keyID("k1").algorithm(JWSAlgorithm.RS256).generate();
        published.set(new JWKSet(signing.toPublicJWK()));
        platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.createContext("/.well-known/openid-configuration", exchange -> {
            discoveryFetches.incrementAndGet();
            respond(exchange, 200, "{\"issuer\":\"" + issuerUrl() + "\",\"jwks_uri\":\"" + issuerUrl() + "/keys\"}");
        });
        platform.createContext("/keys", exchange -> {
            jwksFetches.incrementAndGet();
            respond(exchange, status.get(), published.get().toString(true));
        });
        platform.start();
    }

    @AfterEach
    void stop() {
        platform.stop(0);
        gatepass.close();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String issuerUrl() {
        return "http://127.0.0.1:" + platform.getAddress().getPort();
    }

    /** A trusted issuer for the local platform (on loopback, which an admin allows per issuer). */
    private JsonNode issuer(String preset, String extra) {
        Response created = gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"" + issuerUrl() + "\",\"preset\":\""
                + preset + "\",\"allow_private_network\":true" + extra + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    /** A secretless app granted on the API, with one credential on the issuer. */
    private String federatedApp(String issuerId, String credential) {
        Response app = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"workload\",\"token_endpoint_auth_method\":\"federated_jwt\"}");
        assertThat(app.status()).as(app.body()).isEqualTo(201);
        assertThat(app.json().has("client_secret")).isFalse();
        String clientId = app.json().get("client_id").asText();
        gatepass.grant(clientId, apiId, "deploy");
        Response added = gatepass.admin("POST", "/admin/clients/" + clientId + "/federated-credentials",
                "{\"issuer_id\":\"" + issuerId + "\"," + credential + "}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        return clientId;
    }

    private JWTClaimsSet.Builder platformToken(String subject) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuerUrl()).subject(subject).audience(gatepass.issuer())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString());
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        return sign(signing, claims);
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private Response token(String clientId, String assertion) {
        return token(clientId, assertion, JWT_BEARER);
    }

    private Response token(String clientId, String assertion, String type) {
        return gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "client_id", clientId,
                "client_assertion_type", type, "client_assertion", assertion, "audience", identifier));
    }

    private String refusal(String clientId, String assertion) {
        return token(clientId, assertion).assertOAuthError(401, "invalid_client");
    }

    @Test
    void kubernetesWhenProjectedTokenReusedThenTokensForTheAppAndTheAuditNamesTheWorkload() throws Exception {
        JsonNode issuer = issuer("kubernetes", "");
        assertThat(issuer.get("allow_reuse").asBoolean()).isTrue();
        String clientId = federatedApp(issuer.get("id").asText(), "\"subject\":\"system:serviceaccount:billing:exporter\"");
        String serviceAccountToken = sign(platformToken("system:serviceaccount:billing:exporter")
                .claim("kubernetes.io", Map.of("namespace", "billing", "serviceaccount", Map.of("name", "exporter"))).build());

        Response first = token(clientId, serviceAccountToken);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // the kubelet hands the same projected token out until it rotates it
        assertThat(token(clientId, serviceAccountToken).status()).isEqualTo(200);
        JWTClaimsSet issued = SignedJWT.parse(first.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(issued.getSubject()).isEqualTo(clientId);
        assertThat(issued.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(discoveryFetches.get()).isEqualTo(1);
        assertThat(jwksFetches.get()).isEqualTo(1);

        JsonNode audit = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?client_id=" + clientId
                + "&type=token.issued", null).json(), events -> events.size() >= 2);
        assertThat(audit.get(0).get("details").get("external_iss").asText()).isEqualTo(issuerUrl());
        assertThat(audit.get(0).get("details").get("external_sub").asText()).isEqualTo("system:serviceaccount:billing:exporter");
        // another service account of the same cluster is not this app
        assertThat(refusal(clientId, sign(platformToken("system:serviceaccount:billing:other").build())))
                .contains("no federated credential");
    }

    @Test
    void githubActionsWhenCredentialPinsTheRepositoryIdThenOnlyThatRepositoryAndNamesAloneAreRefused() throws Exception {
        JsonNode issuer = issuer("github-actions", "");
        String issuerId = issuer.get("id").asText();
        String clientId = federatedApp(issuerId, "\"claims\":{\"repository_id\":\"123456\",\"ref\":\"refs/heads/main\"}");
        Response nameOnly = gatepass.admin("POST", "/admin/clients/" + clientId + "/federated-credentials",
                "{\"issuer_id\":\"" + issuerId + "\",\"claims\":{\"repository\":\"acme/deployer\"}}");
        assertThat(nameOnly.assertProblem(400)).contains("immutable id");

        JWTClaimsSet.Builder workflow = platformToken("repo:acme/deployer:ref:refs/heads/main")
                .claim("repository", "acme/deployer").claim("repository_id", "123456").claim("ref", "refs/heads/main");
        assertThat(token(clientId, sign(workflow.build())).status()).isEqualTo(200);
        // the same repository name, re-created by someone else: another id
        assertThat(refusal(clientId, sign(platformToken("repo:acme/deployer:ref:refs/heads/main").claim("repository", "acme/deployer")
                .claim("repository_id", "999").claim("ref", "refs/heads/main").build()))).contains("no federated credential");
        // a branch the credential does not name
        assertThat(refusal(clientId, sign(platformToken("repo:acme/deployer:ref:refs/heads/dev").claim("repository_id", "123456")
                .claim("ref", "refs/heads/dev").build()))).contains("no federated credential");
        // GitHub tokens are single use here (generic rules): the jti once
        String once = sign(workflow.jwtID("run-1").build());
        assertThat(token(clientId, once).status()).isEqualTo(200);
        assertThat(refusal(clientId, once)).contains("used before");
    }

    @Test
    void spiffeWhenJwtSvidWithTheSpiffeAssertionTypeAndBundleKeysWithoutAlgThenAccepted() throws Exception {
        ECKey svidKey = new ECKeyGenerator(Curve.P_256).keyID("svid-1").generate();
        // a SPIFFE bundle: use jwt-svid, no alg
        Map<String, Object> bundleKey = new java.util.LinkedHashMap<>(svidKey.toPublicJWK().toJSONObject());
        bundleKey.put("use", "jwt-svid");
        String bundle = "{\"keys\":[" + com.nimbusds.jose.util.JSONObjectUtils.toJSONString(bundleKey) + "]}";
        Response created = gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"spiffe://example.org\",\"preset\":\"spiffe\","
                + "\"jwks\":" + bundle + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = federatedApp(created.json().get("id").asText(), "\"subject\":\"spiffe://example.org/ns/prod/sa/api\"");

        Instant now = clock.instant();
        SignedJWT svid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("svid-1").type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer("spiffe://example.org").subject("spiffe://example.org/ns/prod/sa/api")
                        .audience(gatepass.issuer()).expirationTime(Date.from(now.plusSeconds(300))).issueTime(Date.from(now)).build());
        svid.sign(new ECDSASigner(svidKey));

        Response response = token(clientId, svid.serialize(), JWT_SPIFFE);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        // inline keys: nothing was fetched
        assertThat(discoveryFetches.get() + jwksFetches.get()).isZero();
        Response spiffeIdOfAnother = gatepass.admin("POST", "/admin/clients/" + clientId + "/federated-credentials",
                "{\"issuer_id\":\"" + created.json().get("id").asText() + "\",\"subject\":\"not-a-spiffe-id\"}");
        spiffeIdOfAnother.assertProblem(400);
    }

    @Test
    void spiffeBundleWhenItCarriesARefreshHintThenFetchedAgainAfterTheHintNotTheCacheHeader() throws Exception {
        ECKey svidKey = new ECKeyGenerator(Curve.P_256).keyID("svid-1").generate();
        Map<String, Object> bundleKey = new java.util.LinkedHashMap<>(svidKey.toPublicJWK().toJSONObject());
        bundleKey.put("use", "jwt-svid");
        AtomicInteger bundleFetches = new AtomicInteger();
        platform.createContext("/bundle", exchange -> {
            bundleFetches.incrementAndGet();
            exchange.getResponseHeaders().add("Cache-Control", "max-age=3600");
            respond(exchange, 200, "{\"spiffe_sequence\":1,\"spiffe_refresh_hint\":120,\"keys\":["
                    + com.nimbusds.jose.util.JSONObjectUtils.toJSONString(bundleKey) + "]}");
        });
        Response created = gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"spiffe://example.org\",\"preset\":\"spiffe\","
                + "\"jwks_uri\":\"" + issuerUrl() + "/bundle\",\"allow_private_network\":true}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = federatedApp(created.json().get("id").asText(), "\"subject\":\"spiffe://example.org/ns/prod/sa/api\"");

        for (int round = 0; round < 2; round++) {
            Instant now = clock.instant();
            SignedJWT svid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("svid-1").build(),
                    new JWTClaimsSet.Builder().issuer("spiffe://example.org").subject("spiffe://example.org/ns/prod/sa/api")
                            .audience(gatepass.issuer()).expirationTime(Date.from(now.plusSeconds(300))).issueTime(Date.from(now)).build());
            svid.sign(new ECDSASigner(svidKey));
            Response response = token(clientId, svid.serialize(), JWT_SPIFFE);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(3)); // past the hint, well within the header's hour
        }
        assertThat(bundleFetches.get()).isEqualTo(2);
    }

    @Test
    void tokenWhenAnyCheckFailsThenInvalidClientWithAReasonADeveloperCanActOn() throws Exception {
        JsonNode issuer = issuer("generic", ",\"max_assertion_lifetime\":900");
        String clientId = federatedApp(issuer.get("id").asText(), "\"subject\":\"worker-1\"");
        assertThat(token(clientId, sign(platformToken("worker-1").build())).status()).isEqualTo(200);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertThat(refusal(clientId, sign(stranger, platformToken("worker-1").build()))).contains("signature");
        assertThat(refusal(clientId, sign(platformToken("worker-1").issuer("https://elsewhere.example").build())))
                .contains("not a trusted issuer");
        Instant now = clock.instant();
        assertThat(refusal(clientId, sign(platformToken("worker-1").expirationTime(Date.from(now.minusSeconds(60))).build())))
                .contains("expired");
        assertThat(refusal(clientId, sign(platformToken("worker-1").expirationTime(Date.from(now.plusSeconds(3600))).build())))
                .contains("max_assertion_lifetime");
        assertThat(refusal(clientId, sign(platformToken("worker-1").notBeforeTime(Date.from(now.plusSeconds(120))).build())))
                .contains("not valid yet");
        assertThat(refusal(clientId, sign(platformToken("worker-1").audience("https://someone-else.example").build())))
                .contains("aud");
        assertThat(refusal(clientId, sign(platformToken("worker-1").jwtID(null).build()))).contains("jti");
        assertThat(refusal(clientId, sign(platformToken("worker-1").expirationTime(null).build()))).contains("exp");
        // alg none and HMAC never
        String none = new com.nimbusds.jwt.PlainJWT(platformToken("worker-1").build()).serialize();
        assertThat(refusal(clientId, none)).contains("none");
        assertThat(refusal(clientId, Assertions.hs256("a-shared-secret-of-thirty-two-bytes!!", "k1", platformToken("worker-1").build())))
                .contains("alg");
        // the app's name on the request is the app: a private_key_jwt-style assertion without client_id is not federated
        gatepass.tokenForm(TestServer.params("grant_type", "client_credentials", "client_assertion_type", JWT_BEARER,
                "client_assertion", sign(platformToken("worker-1").build()), "audience", identifier))
                .assertOAuthError(401, "invalid_client");

        JsonNode reasons = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?client_id=" + clientId
                + "&type=client.authentication_failed&limit=100", null).json(), events -> events.size() >= 10);
        assertThat(reasons.findValues("reason").stream().map(JsonNode::asText).toList())
                .contains("bad_signature", "untrusted_issuer", "expired", "too_long_lived", "not_yet_valid", "audience", "no_jti");
        assertThat(gatepass.get("/metrics").body()).contains("gatepass_federated_authentications_total{issuer=\""
                + issuer.get("id").asText() + "\",outcome=\"accepted\"} 1.0");
    }

    @Test
    void issuerWhenKeysRotateOrItGoesDownThenNewKidFetchedAndCachedKeysKeepWorking() throws Exception {
        JsonNode issuer = issuer("kubernetes", "");
        String clientId = federatedApp(issuer.get("id").asText(), "\"subject\":\"system:serviceaccount:ci:runner\"");
        assertThat(token(clientId, sign(platformToken("system:serviceaccount:ci:runner").build())).status()).isEqualTo(200);

        RSAKey next = new RSAKeyGenerator(2048).keyID("k2").algorithm(JWSAlgorithm.RS256).generate();
        published.set(new JWKSet(List.of(signing.toPublicJWK(), next.toPublicJWK())));
        clock.advance(Duration.ofMinutes(2)); // past the minimum time between fetches
        assertThat(token(clientId, sign(next, platformToken("system:serviceaccount:ci:runner").build())).status()).isEqualTo(200);
        int fetched = jwksFetches.get();
        // made-up kids do not make the server hammer the issuer
        for (int i = 0; i < 5; i++) {
            RSAKey forged = new RSAKeyGenerator(2048).keyID("forged-" + i).generate();
            refusal(clientId, sign(forged, platformToken("system:serviceaccount:ci:runner").build()));
        }
        assertThat(jwksFetches.get() - fetched).isLessThanOrEqualTo(1);

        status.set(503);
        clock.advance(Duration.ofHours(2)); // the cached keys expired: a refetch fails, the last good keys serve
        assertThat(token(clientId, sign(platformToken("system:serviceaccount:ci:runner").build())).status()).isEqualTo(200);
    }

    @Test
    void issuerWhenDisabledOrTheAppBlockedThenRefusedOnTheNextRequest() throws Exception {
        JsonNode issuer = issuer("kubernetes", "");
        String issuerId = issuer.get("id").asText();
        String clientId = federatedApp(issuerId, "\"subject\":\"system:serviceaccount:ops:bot\"");
        String assertion = sign(platformToken("system:serviceaccount:ops:bot").build());
        assertThat(token(clientId, assertion).status()).isEqualTo(200);

        gatepass.admin("PATCH", "/admin/trusted-issuers/" + issuerId, "{\"status\":\"disabled\"}");
        assertThat(refusal(clientId, assertion)).contains("disabled");
        gatepass.admin("PATCH", "/admin/trusted-issuers/" + issuerId, "{\"status\":\"active\"}");
        assertThat(token(clientId, assertion).status()).isEqualTo(200);

        gatepass.admin("PATCH", "/admin/clients/" + clientId, "{\"status\":\"blocked\"}");
        token(clientId, assertion).assertOAuthError(400, "unauthorized_client");
    }

    @Test
    void issuerWhenOnAPrivateAddressWithoutPermissionThenRefusedAndNeverContacted() {
        Response refused = gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"" + issuerUrl() + "\"}");
        assertThat(refused.assertProblem(400)).contains("discovery");
        gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"https://cluster.internal\",\"jwks_uri\":"
                + "\"http://169.254.169.254/latest/meta-data\",\"allow_private_network\":true}").assertProblem(400);
        assertThat(discoveryFetches.get() + jwksFetches.get()).isZero();
        gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"" + issuerUrl() + "\",\"preset\":\"nope\"}").assertProblem(400);
        issuer("generic", "");
        gatepass.admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"" + issuerUrl() + "\",\"allow_private_network\":true}")
                .assertProblem(409);
    }

    @Test
    void issuerKeysWhenChangedByACallerWhoMayNotChangeItsAppsThen403() throws Exception {
        JsonNode issuer = issuer("generic", "");
        String issuerId = issuer.get("id").asText();
        String adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        // a federated app holding keys:write, and a caller with clients:write only
        String powerful = federatedApp(issuerId, "\"subject\":\"deployer\"");
        gatepass.grant(powerful, adminApiId, "keys:write");
        TestServer.App writer = gatepass.createApp("writer", null);
        gatepass.grant(writer.clientId(), adminApiId, "clients:write", "clients:read");
        String writerToken = gatepass.token(writer.clientId(), writer.secret(), "urn:gatepass:admin", null);

        RSAKey mine = new RSAKeyGenerator(2048).keyID("mine").generate();
        Response swap = gatepass.adminAs(writerToken, "PATCH", "/admin/trusted-issuers/" + issuerId,
                "{\"jwks\":{\"keys\":[" + mine.toPublicJWK().toJSONString() + "]}}");
        assertThat(swap.assertProblem(403)).contains("keys:write");
        gatepass.adminAs(writerToken, "DELETE", "/admin/trusted-issuers/" + issuerId, null).assertProblem(403);
        assertThat(gatepass.adminAs(writerToken, "PATCH", "/admin/trusted-issuers/" + issuerId, "{\"name\":\"renamed\"}").status())
                .isEqualTo(200);
        gatepass.adminAs(writerToken, "POST", "/admin/clients/" + powerful + "/federated-credentials",
                "{\"issuer_id\":\"" + issuerId + "\",\"subject\":\"attacker\"}").assertProblem(403);
    }

    @Test
    void jwtBearerGrantAndIntrospectionWhenAuthenticatedWithThePlatformTokenThenAccepted() throws Exception {
        JsonNode issuer = issuer("kubernetes", "");
        String clientId = federatedApp(issuer.get("id").asText(), "\"subject\":\"system:serviceaccount:data:loader\"");
        String platformToken = sign(platformToken("system:serviceaccount:data:loader").build());

        // RFC 7523 §2.1: the platform token as the grant itself
        Response granted = gatepass.tokenForm(TestServer.params("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", platformToken, "client_id", clientId, "audience", identifier));
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        String token = granted.json().get("access_token").asText();

        Response introspected = gatepass.send("POST", "/oauth/introspect", "application/x-www-form-urlencoded",
                TestServer.form(TestServer.params("token", token, "client_id", clientId,
                        "client_assertion_type", JWT_BEARER, "client_assertion", platformToken)));
        assertThat(introspected.json().get("active").asBoolean()).as(introspected.body()).isTrue();
        assertThat(introspected.json().get("client_id").asText()).isEqualTo(clientId);
        assertThat(gatepass.get("/.well-known/oauth-authorization-server").json().get("token_endpoint_auth_methods_supported")
                .toString()).contains("federated_jwt");
    }

    @Test
    void reusedTokenWhenTheIssuerWithdrawsItsKeyThenRefusedThoughItsSignatureWasCheckedBefore() throws Exception {
        JsonNode issuer = issuer("kubernetes", "");
        String clientId = federatedApp(issuer.get("id").asText(), "\"subject\":\"system:serviceaccount:ci:deployer\"");
        String reused = sign(platformToken("system:serviceaccount:ci:deployer").expirationTime(Date.from(clock.instant()
                .plusSeconds(3000))).build());
        assertThat(token(clientId, reused).status()).isEqualTo(200);
        assertThat(token(clientId, reused).status()).isEqualTo(200);

        RSAKey next = new RSAKeyGenerator(2048).keyID("k2").algorithm(JWSAlgorithm.RS256).generate();
        published.set(new JWKSet(next.toPublicJWK())); // k1 withdrawn
        clock.advance(Duration.ofMinutes(61)); // past the longest the keys are cached

        assertThat(refusal(clientId, reused)).contains("no key with kid k1");
    }

    @Test
    void gitlabWhenCredentialPinsTheProjectIdThenOnlyThatProjectsProtectedJobs() throws Exception {
        JsonNode issuer = issuer("gitlab", "");
        String issuerId = issuer.get("id").asText();
        // pinned as a number; GitLab sends ids as strings: the decimal string matches
        String clientId = federatedApp(issuerId, "\"claims\":{\"project_id\":42,\"ref_protected\":\"true\"}");
        gatepass.admin("POST", "/admin/clients/" + clientId + "/federated-credentials",
                "{\"issuer_id\":\"" + issuerId + "\",\"claims\":{\"project_path\":\"acme/app\"}}").assertProblem(400);

        String subject = "project_path:acme/app:ref_type:branch:ref:main";
        assertThat(token(clientId, sign(platformToken(subject).claim("project_id", "42").claim("project_path", "acme/app")
                .claim("namespace_id", "7").claim("ref_protected", "true").build())).status()).isEqualTo(200);
        assertThat(refusal(clientId, sign(platformToken(subject).claim("project_id", "43").claim("ref_protected", "true").build())))
                .contains("no federated credential");
        assertThat(refusal(clientId, sign(platformToken(subject).claim("project_id", "42").claim("ref_protected", "false").build())))
                .contains("no federated credential");
    }
}
