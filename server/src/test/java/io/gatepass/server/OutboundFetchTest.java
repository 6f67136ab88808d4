package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gatepass.server.Assertions.AppKey;
import io.gatepass.server.TestServer.Response;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code jwks_uri} is an address someone else chose: the server must not become a way to reach its own
 * network, nor a port scanner. Registration refuses addresses that are not public; what a DNS name resolves to is
 * checked when fetched; every failed fetch answers alike and takes as long.
 */
class OutboundFetchTest {
    @TempDir
    static Path dataDir;
    static TestServer gatepass;
    static HttpServer keys;
    static final AtomicInteger served = new AtomicInteger();
    static String apiId;
    static String identifier;

    @BeforeAll
    static void start() throws Exception {
        gatepass = TestServer.start(dataDir, java.time.Clock.systemUTC(), true); // --dev: http URLs, to reach the test's server
        keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/jwks", exchange -> {
            served.incrementAndGet();
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        identifier = TestServer.uniqueIdentifier();
        apiId = gatepass.createApi(identifier, "read");
    }

    @AfterAll
    static void stop() {
        keys.stop(0);
        gatepass.close();
    }

    private static Response register(String jwksUri, boolean allowPrivate) {
        return gatepass.admin("POST", "/admin/clients", "{\"client_name\":\"fetcher\",\"token_endpoint_auth_method\":"
                + "\"private_key_jwt\",\"jwks_uri\":\"" + jwksUri + "\",\"allow_private_network\":" + allowPrivate + "}");
    }

    @Test
    void registrationWhenJwksUriNamesAPrivateAddressOrBadPortThen400() {
        List<String> refused = List.of("https://127.0.0.1/jwks", "https://[::1]/jwks", "https://[::ffff:127.0.0.1]/jwks",
                "https://2130706433/jwks", "https://0x7f000001/jwks", "https://0.0.0.0/jwks", "https://169.254.169.254/latest",
                "https://[fd00::1]/jwks", "https://10.0.0.1/jwks", "https://192.168.1.1/jwks", "https://172.16.0.1/jwks",
                "https://100.64.0.1/jwks", "https://[fe80::1]/jwks", "https://224.0.0.1/jwks", "https://[64:ff9b::7f00:1]/jwks",
                "https://[2002:7f00:1::]/jwks", "https://keys.example.com:0/jwks", "https://keys.example.com:65536/jwks",
                "https://user:pw@keys.example.com/jwks", "ftp://keys.example.com/jwks");
        for (String uri : refused) {
            Response response = register(uri, false);
            assertThat(response.assertProblem(400)).as(uri).contains("jwks_uri");
        }
        // an admin may allow a private network for one app
        assertThat(register("https://10.0.0.1/jwks", true).status()).isEqualTo(201);
        assertThat(register("https://keys.example.com:8443/jwks", false).status()).isEqualTo(201);
    }

    @Test
    void tokenWhenJwksUriNameResolvesToLoopbackThenNothingFetchedAndTheSameAnswerAsADownServer() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        int port = keys.getAddress().getPort();
        // "localhost" passes registration (a name) and resolves to loopback when fetched: refused then
        String toListener = clientId(register("http://localhost:" + port + "/jwks", false));
        String toClosedPort = clientId(register("http://localhost:" + closedPort() + "/jwks", false));
        String toUnresolvable = clientId(register("http://no-such-host.invalid/jwks", false));
        int before = served.get();

        List<Timed> answers = List.of(timedToken(key, toListener), timedToken(key, toClosedPort), timedToken(key, toUnresolvable));

        assertThat(served.get()).as("no request reached the loopback listener").isEqualTo(before);
        assertThat(answers).extracting(Timed::description).containsOnly(answers.get(0).description());
        assertThat(answers.get(0).description()).contains("jwks_uri could not be fetched");
        // open port, closed port and unknown name take the same time: the fetch deadline
        assertThat(answers).allSatisfy(answer -> assertThat(answer.millis()).isBetween(2_900L, 4_500L));
    }

    @Test
    void tokenWhenPrivateNetworkAllowedForTheAppThenFetched() throws Exception {
        AppKey key = Assertions.generate("ES256", "k");
        String clientId = clientId(register("http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks", true));
        int before = served.get();

        // the set is empty, so the assertion's key is unknown; what matters is that the fetch happened
        timedToken(key, clientId);

        assertThat(served.get()).isGreaterThan(before);
    }

    private record Timed(String description, long millis) {
    }

    private static Timed timedToken(AppKey key, String clientId) throws Exception {
        String assertion = Assertions.sign(key, Assertions.claims(clientId, gatepass.issuer() + "/oauth/token",
                Instant.now()).build());
        long start = System.nanoTime();
        Response response = PrivateKeyJwtTest.tokenWithAssertion(gatepass, assertion, identifier);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Timed(response.assertOAuthError(401, "invalid_client"), millis);
    }

    private static String clientId(Response created) {
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = created.json().get("client_id").asText();
        gatepass.grant(clientId, apiId, "read");
        return clientId;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
