package io.gatepass.client;

import io.gatepass.server.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client SDK against a real Gatepass, through a proxy that counts token requests and can answer errors first. */
class GatepassTokenSourceTest {
    private static final String ADMIN_SECRET = "client-sdk-test-bootstrap-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    static GatepassServer gatepass;
    static HttpServer proxy;
    static final AtomicInteger tokenRequests = new AtomicInteger();
    /** Status codes the proxy answers before it starts forwarding; consumed one per request. */
    static final List<Integer> failFirst = new ArrayList<>();
    static String audience;
    static String apiId;
    static String clientId;
    static String secret;

    @BeforeAll
    static void start() throws Exception {
        gatepass = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dataDir).bootstrapAdminSecret(ADMIN_SECRET).build());
        audience = "https://archive-" + System.nanoTime() + ".example.com";
        apiId = (String) admin("POST", "/admin/apis", "{\"identifier\":\"" + audience + "\",\"name\":\"archive\","
                + "\"scopes\":[\"archive:read\",\"archive:write\"]}").get("id");
        Map<String, Object> app = admin("POST", "/admin/clients", "{\"client_name\":\"archiver\"}");
        clientId = (String) app.get("client_id");
        secret = (String) app.get("client_secret");
        admin("PUT", "/admin/clients/" + clientId + "/grants/" + apiId, "{\"scopes\":[\"archive:write\"]}");
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.setExecutor(Executors.newFixedThreadPool(8));
        proxy.createContext("/oauth/token", exchange -> {
            tokenRequests.incrementAndGet();
            Integer failure;
            synchronized (failFirst) {
                failure = failFirst.isEmpty() ? null : failFirst.remove(0);
            }
            byte[] body;
            int status;
            if (failure != null) {
                status = failure;
                body = "{\"error\":\"temporarily_unavailable\"}".getBytes();
                exchange.getResponseHeaders().add("Retry-After", failure == 429 ? "1" : "0");
            } else {
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(issuer() + "/oauth/token"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()))
                        .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"));
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) forward.header("Authorization", authorization);
                try {
                    HttpResponse<byte[]> answer = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = answer.statusCode();
                    body = answer.body();
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        proxy.start();
    }

    @AfterAll
    static void stop() {
        proxy.stop(0);
        gatepass.close();
    }

    @BeforeEach
    void reset() {
        tokenRequests.set(0);
        synchronized (failFirst) {
            failFirst.clear();
        }
    }

    static String issuer() {
        return gatepass.issuer();
    }

    static Map<String, Object> admin(String method, String path, String body) throws Exception {
        String form = "grant_type=client_credentials&audience=urn:gatepass:admin";
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(issuer() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("gatepass-admin:" + ADMIN_SECRET).getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String accessToken = (String) JSONObjectUtils.parse(token.body()).get("access_token");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(issuer() + path))
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return JSONObjectUtils.parse(response.body());
    }

    private static GatepassTokenSource.Builder viaProxy() {
        return GatepassTokenSource.builder()
                .tokenEndpoint(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort() + "/oauth/token"))
                .auth(ClientAuth.clientSecretBasic(clientId, secret))
                .audience(audience)
                .backoff(Duration.ofMillis(10), Duration.ofSeconds(2));
    }

    @Test
    void tokenWhenHundredCallersAskAtOnceThenOneTokenRequest() throws Exception {
        GatepassTokenSource tokens = viaProxy().build();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return tokens.token().value();
            }));
        }
        go.countDown();
        Set<String> values = new HashSet<>();
        for (Future<String> answer : answers) values.add(answer.get());
        pool.shutdown();

        assertThat(values).hasSize(1);
        assertThat(tokenRequests.get()).isEqualTo(1);
        assertThat(tokens.token().value()).as("then served from the cache").isIn(values);
        assertThat(tokenRequests.get()).isEqualTo(1);
    }

    @Test
    void tokenWhenCloseToExpiryThenRenewedBeforeIt() throws Exception {
        MutableClock clock = new MutableClock();
        GatepassTokenSource tokens = viaProxy().clock(clock).refreshAhead(Duration.ofSeconds(60)).build();
        AccessToken first = tokens.token();
        assertThat(first.scope()).isEqualTo("archive:write");
        assertThat(tokens.token()).isSameAs(first);

        clock.set(first.expiresAt().minusSeconds(59)); // still valid, but inside the renewal window

        AccessToken second = tokens.token();
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(SignedJWT.parse(second.value()).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(first.value()).getJWTClaimsSet().getJWTID());
        assertThat(tokenRequests.get()).isEqualTo(2);
    }

    @Test
    void tokenWhen503ThenRetriedAndIssued() {
        synchronized (failFirst) {
            failFirst.add(503);
            failFirst.add(502);
        }
        GatepassTokenSource tokens = viaProxy().build();

        assertThat(tokens.token().value()).isNotBlank();
        assertThat(tokenRequests.get()).isEqualTo(3);
    }

    @Test
    void tokenWhen429ThenWaitsForRetryAfter() {
        synchronized (failFirst) {
            failFirst.add(429);
        }
        GatepassTokenSource tokens = viaProxy().build();
        long start = System.nanoTime();

        assertThat(tokens.token().value()).isNotBlank();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(tokenRequests.get()).isEqualTo(2);
    }

    @Test
    void tokenWhenInvalidClientThenNotRetried() {
        GatepassTokenSource tokens = viaProxy().auth(ClientAuth.clientSecretBasic(clientId, "gps_wrong")).build();

        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(TokenRequestException.class, e -> {
            assertThat(e.error()).isEqualTo("invalid_client");
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.retryable()).isFalse();
        });
        assertThat(tokenRequests.get()).isEqualTo(1);
    }

    @Test
    void tokenWhenScopeNotGrantedThenInvalidScopeNotRetried() {
        GatepassTokenSource tokens = viaProxy().scopes("archive:read").build();

        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(TokenRequestException.class,
                e -> assertThat(e.error()).isEqualTo("invalid_scope"));
        assertThat(tokenRequests.get()).isEqualTo(1);
    }

    @Test
    void tokenWhenServerDownThenRetriedThenRefusedAsRetryable() {
        GatepassTokenSource tokens = GatepassTokenSource.builder().tokenEndpoint(URI.create("http://127.0.0.1:1/oauth/token"))
                .auth(ClientAuth.clientSecretBasic(clientId, secret)).maxAttempts(3)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build();

        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(TokenRequestException.class,
                e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void tokenWhenIssuerGivenThenEndpointDiscoveredAndSecretPostWorks() throws Exception {
        GatepassTokenSource tokens = GatepassTokenSource.builder().issuer(URI.create(issuer()))
                .auth(ClientAuth.clientSecretBasic(clientId, secret)).audience(audience).build();

        HttpRequest request = tokens.authorize(HttpRequest.newBuilder(URI.create("https://archive.example.com/x"))).build();

        String header = request.headers().firstValue("Authorization").orElseThrow();
        assertThat(header).startsWith("Bearer ");
        assertThat(SignedJWT.parse(header.substring(7)).getJWTClaimsSet().getAudience()).containsExactly(audience);
    }

    @Test
    void tokenWhenPrivateKeyJwtThenIssuedWithoutASecret() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("sdk-key").generate();
        Map<String, Object> app = admin("POST", "/admin/clients", "{\"client_name\":\"keyed\",\"token_endpoint_auth_method\":"
                + "\"private_key_jwt\",\"jwks\":" + new JWKSet(key.toPublicJWK()) + "}");
        String keyedId = (String) app.get("client_id");
        admin("PUT", "/admin/clients/" + keyedId + "/grants/" + apiId, "{\"scopes\":[\"archive:read\"]}");
        GatepassTokenSource tokens = GatepassTokenSource.builder().issuer(URI.create(issuer()))
                .auth(ClientAuth.privateKeyJwt(keyedId, key)).build(); // its one grant: no audience needed

        AccessToken token = tokens.token();

        assertThat(token.scope()).isEqualTo("archive:read");
        assertThat(SignedJWT.parse(token.value()).getJWTClaimsSet().getSubject()).isEqualTo(keyedId);
        tokens.invalidate();
        assertThat(tokens.token().value()).as("a new assertion, a new jti: no replay").isNotEqualTo(token.value());
    }

    @Test
    void tokenWhenFederatedTokenFileThenReadOnEveryFetchAsKubernetesRotatesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ECKey clusterKey = new ECKeyGenerator(Curve.P_256).keyID("cluster-1").generate();
        String cluster = "https://kubernetes.default.svc";
        String issuerId = (String) admin("POST", "/admin/trusted-issuers", "{\"issuer\":\"" + cluster + "\",\"preset\":"
                + "\"kubernetes\",\"jwks\":" + new JWKSet(clusterKey.toPublicJWK()) + "}").get("id");
        String appId = (String) admin("POST", "/admin/clients", "{\"client_name\":\"in-cluster\","
                + "\"token_endpoint_auth_method\":\"federated_jwt\"}").get("client_id");
        admin("PUT", "/admin/clients/" + appId + "/grants/" + apiId, "{\"scopes\":[\"archive:read\"]}");
        admin("POST", "/admin/clients/" + appId + "/federated-credentials", "{\"issuer_id\":\"" + issuerId
                + "\",\"subject\":\"system:serviceaccount:archive:reader\"}");
        java.nio.file.Path tokenFile = dir.resolve("token");
        java.nio.file.Files.writeString(tokenFile, serviceAccountToken(clusterKey, cluster, "first") + "\n");
        GatepassTokenSource tokens = GatepassTokenSource.builder().issuer(URI.create(issuer()))
                .auth(ClientAuth.federatedTokenFile(appId, tokenFile)).build();

        AccessToken first = tokens.token();
        assertThat(SignedJWT.parse(first.value()).getJWTClaimsSet().getSubject()).isEqualTo(appId);
        // the kubelet rotates the file in place: the next fetch sends the new token, the old one is gone
        java.nio.file.Files.writeString(tokenFile, serviceAccountToken(clusterKey, cluster, "second"));
        tokens.invalidate();
        assertThat(tokens.token().value()).isNotEqualTo(first.value());
        java.nio.file.Files.writeString(tokenFile, "not a token");
        tokens.invalidate();
        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(TokenRequestException.class,
                e -> assertThat(e.error()).isEqualTo("invalid_client"));
    }

    private static String serviceAccountToken(ECKey key, String cluster, String jti) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                .keyID(key.getKeyID()).build(), new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(cluster)
                .subject("system:serviceaccount:archive:reader").audience(issuer()).jwtID(jti)
                .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(600))).build());
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        return jwt.serialize();
    }

    /** A clock the test sets. */

}
