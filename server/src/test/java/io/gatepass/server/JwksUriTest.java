package io.gatepass.server;

import io.gatepass.server.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.gatepass.server.Assertions.AppKey;
import io.gatepass.server.TestServer.Response;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** private_key_jwt apps that publish their keys at a jwks_uri, served by a real HTTP server started here. */
class JwksUriTest {
    @TempDir
    Path dataDir;
    MutableClock clock = new MutableClock();
    TestServer gatepass;
    HttpServer app;
    AtomicReference<String> published = new AtomicReference<>("{\"keys\":[]}");
    AtomicInteger fetches = new AtomicInteger();
    String identifier;
    String apiId;

    @BeforeEach
    void start() throws Exception {
        gatepass = TestServer.start(dataDir, clock, true); // --dev: the test's jwks_uri is http
        identifier = TestServer.uniqueIdentifier();
        apiId = gatepass.createApi(identifier, "read");
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        app.start();
    }

    @AfterEach
    void stop() {
        app.stop(0);
        gatepass.close();
    }

    private String jwksUri() {
        return "http://127.0.0.1:" + app.getAddress().getPort() + "/jwks";
    }

    private String uriApp(String uri) {
        Response created = gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"uri app\","
                + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + uri + "\","
                // the test's key server is on loopback: an admin allows that per app
                + "\"allow_private_network\":true}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = created.json().get("client_id").asText();
        gatepass.grant(clientId, apiId, "read");
        return clientId;
    }

    private Response token(AppKey key, String clientId) throws Exception {
        String assertion = Assertions.sign(key, Assertions.claims(clientId, gatepass.issuer() + "/oauth/token", clock.instant()).build());
        return PrivateKeyJwtTest.tokenWithAssertion(gatepass, assertion, identifier);
    }

    @Test
    void tokenWhenKeysRolledOverAtTheUriThenTheNewKidIsPickedUp() throws Exception {
        AppKey first = Assertions.generate("ES256", "2026-01");
        published.set(new JWKSet(first.publicJwk()).toString());
        String clientId = uriApp(jwksUri());
        assertThat(token(first, clientId).status()).isEqualTo(200);
        assertThat(token(first, clientId).status()).as("served from the cache").isEqualTo(200);
        assertThat(fetches.get()).isEqualTo(1);

        AppKey second = Assertions.generate("EdDSA", "2026-02");
        published.set(new JWKSet(java.util.List.of(first.publicJwk(), second.publicJwk())).toString());
        clock.advance(Duration.ofSeconds(61));
        gatepass.forgetAdminToken();

        Response rolled = token(second, clientId);
        assertThat(rolled.status()).as(rolled.body()).isEqualTo(200);
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void tokenWhenUnknownKidRepeatedThenAtMostOneRefetchPerMinute() throws Exception {
        AppKey known = Assertions.generate("RS256", "known");
        published.set(new JWKSet(known.publicJwk()).toString());
        String clientId = uriApp(jwksUri());
        assertThat(token(known, clientId).status()).isEqualTo(200);
        AppKey stranger = Assertions.generate("RS256", "stranger");

        for (int i = 0; i < 5; i++) token(stranger, clientId).assertOAuthError(401, "invalid_client");

        assertThat(fetches.get()).as("the first fetch only: within a minute of it, no refetch").isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        for (int i = 0; i < 5; i++) token(stranger, clientId).assertOAuthError(401, "invalid_client");
        assertThat(fetches.get()).as("one refetch a minute later, however many requests").isEqualTo(2);
        assertThat(token(known, clientId).status()).isEqualTo(200);
    }

    @Test
    void tokenWhenJwksUriDownThenThatAppIsRefusedAndTheServerKeepsServing() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String downUri = "http://127.0.0.1:" + freePort() + "/jwks";
        String clientId = uriApp(downUri);

        String description = token(key, clientId).assertOAuthError(401, "invalid_client");

        assertThat(description).contains("jwks_uri");
        assertThat(gatepass.get("/health/ready").status()).isEqualTo(200);
        TestServer.GrantedApp other = gatepass.grantedApp(java.util.List.of("read"), "read");
        assertThat(gatepass.tokenRequest(other.app(), "audience", other.identifier()).status()).isEqualTo(200);
    }

    @Test
    void tokenWhenJwksUriAnswersGarbageOrTooMuchThenInvalidClient() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = uriApp(jwksUri());
        published.set("<html>not a key set</html>");
        assertThat(token(key, clientId).assertOAuthError(401, "invalid_client")).contains("JWK Set");

        String other = uriApp(jwksUri());
        published.set("{\"keys\":[],\"padding\":\"" + "x".repeat(70_000) + "\"}");
        // over the fetcher's size cap: the same answer as any failed fetch
        assertThat(token(key, other).assertOAuthError(401, "invalid_client")).contains("could not be fetched");
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
