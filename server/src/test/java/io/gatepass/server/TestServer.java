package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.limits.RateLimitPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A real Gatepass on a random port with a real SQLite file, and an HTTP client to talk to it. */
final class TestServer implements AutoCloseable {
    static final String ADMIN_ID = "gatepass-admin";
    static final String ADMIN_SECRET = "test-bootstrap-secret-0123456789-abcdefghij";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dataDir;
    final GatepassServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String adminToken;

    private TestServer(Path dataDir, GatepassServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    static TestServer wrap(Path dataDir, GatepassServer server) {
        return new TestServer(dataDir, server);
    }

    /** The master key of test servers on PostgreSQL (the embedded store makes its own key file). */
    static final String TEST_MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    /** Whether this run puts the HTTP suite on PostgreSQL ({@code -Dgatepass.test.store=postgresql}). */
    static boolean onPostgres() {
        return "postgresql".equals(System.getProperty("gatepass.test.store"));
    }

    /**
     * A server config for a test data directory: the embedded store, or with {@code -Dgatepass.test.store=postgresql}
     * this directory's own database in a throwaway PostgreSQL cluster. Where no PostgreSQL binaries exist the test
     * is skipped with a message, unless GATEPASS_REQUIRE_POSTGRES is set (CI), where that is a failure.
     */
    static ServerConfig config(Path dataDir) {
        ServerConfig config = ServerConfig.builder().port(0).dataDir(dataDir).bootstrapAdminSecret(ADMIN_SECRET).build()
                // limits have their own test; elsewhere they would only make bursts of requests flaky
                .toBuilder().limits(RateLimitPolicy.NONE).build();
        if (!onPostgres()) return config;
        if (PostgresCluster.binaries() == null && System.getenv("GATEPASS_REQUIRE_POSTGRES") == null) {
            org.junit.jupiter.api.Assumptions.abort("no PostgreSQL server binaries here: the PostgreSQL run of this test is "
                    + "skipped. Install them (apt-get install postgresql) or set PG_BIN to run it; CI always does.");
        }
        return config.toBuilder().databaseUrl(PostgresCluster.shared().databaseUrl(dataDir)).masterKey(TEST_MASTER_KEY).build();
    }

    static TestServer start(Path dataDir) {
        return new TestServer(dataDir, GatepassServer.start(config(dataDir)));
    }

    /** With settings of the test's own, made from {@link #config}. */
    static TestServer start(ServerConfig config) {
        return new TestServer(config.dataDir(), GatepassServer.start(config));
    }

    static TestServer start(Path dataDir, java.time.Clock clock) {
        return start(dataDir, clock, false);
    }

    /** @param development development mode (http jwks_uri allowed) */
    static TestServer start(Path dataDir, java.time.Clock clock, boolean development) {
        ServerConfig config = config(dataDir).toBuilder().development(development).build();
        return new TestServer(dataDir, GatepassServer.start(config, clock));
    }

    String issuer() {
        return server.issuer();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Asserts an RFC 6749 §5.2 error and returns its description. */
        String assertOAuthError(int expectedStatus, String expectedCode) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(header("Content-Type")).startsWith("application/json");
            assertThat(json().path("error").asText()).as(body).isEqualTo(expectedCode);
            assertThat(json().path("error_description").asText()).isNotBlank();
            return json().path("error_description").asText();
        }

        /** Asserts an RFC 9457 problem and returns its detail. */
        String assertProblem(int expectedStatus) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(json().path("status").asInt()).isEqualTo(expectedStatus);
            assertThat(json().path("detail").asText()).isNotBlank();
            return json().path("detail").asText();
        }
    }

    Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    /** POST /oauth/token with a form body built from name/value pairs and the given extra headers. */
    Response tokenForm(Map<String, String> params, String... headers) {
        return send("POST", "/oauth/token", "application/x-www-form-urlencoded", form(params), headers);
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> params(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }

    /** A client credentials request by {@code app} with client_secret_basic and these extra name/value pairs. */
    Response tokenRequest(App app, String... extraParams) {
        Map<String, String> p = params("grant_type", "client_credentials");
        p.putAll(params(extraParams));
        return tokenForm(p, "Authorization", basic(app.clientId(), app.secret()));
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded before Base64. */
    static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** A token by client_secret_basic; fails the test unless the server issues one. */
    String token(String clientId, String secret, String audience, String scope) {
        Map<String, String> p = params("grant_type", "client_credentials", "audience", audience);
        if (scope != null) p.put("scope", scope);
        Response response = tokenForm(p, "Authorization", basic(clientId, secret));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    /** POST /oauth/introspect as {@code caller} (client_secret_basic). */
    Response introspect(App caller, String token) {
        return send("POST", "/oauth/introspect", "application/x-www-form-urlencoded", form(params("token", token)),
                "Authorization", basic(caller.clientId(), caller.secret()));
    }

    /** POST /oauth/revoke as {@code caller} (client_secret_basic). */
    Response revoke(App caller, String token) {
        return send("POST", "/oauth/revoke", "application/x-www-form-urlencoded", form(params("token", token)),
                "Authorization", basic(caller.clientId(), caller.secret()));
    }

    static final App ADMIN = new App(ADMIN_ID, ADMIN_SECRET);

    /** After moving a test clock past the cached admin token's expiry. */
    void forgetAdminToken() {
        adminToken = null;
    }

    String adminToken() {
        if (adminToken == null) adminToken = token(ADMIN_ID, ADMIN_SECRET, "urn:gatepass:admin", null);
        return adminToken;
    }

    Response admin(String method, String path, String jsonBody) {
        return adminAs(adminToken(), method, path, jsonBody);
    }

    Response adminAs(String token, String method, String path, String jsonBody) {
        return send(method, path, jsonBody == null ? null : "application/json", jsonBody, "Authorization", "Bearer " + token);
    }

    /** Registers an API and returns its id. */
    String createApi(String identifier, String... scopes) {
        String scopeJson = java.util.Arrays.stream(scopes).map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        Response response = admin("POST", "/admin/apis",
                "{\"identifier\":\"" + identifier + "\",\"name\":\"" + identifier + "\",\"scopes\":[" + scopeJson + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asText();
    }

    /** Registers an app; returns its client_id and client_secret. */
    App createApp(String name, String method) {
        String body = method == null ? "{\"client_name\":\"" + name + "\"}"
                : "{\"client_name\":\"" + name + "\",\"token_endpoint_auth_method\":\"" + method + "\"}";
        Response response = admin("POST", "/admin/clients", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return new App(response.json().get("client_id").asText(), response.json().get("client_secret").asText());
    }

    record App(String clientId, String secret) {
    }

    /** An API identifier no other test uses. */
    static String uniqueIdentifier() {
        return "https://api-" + java.util.UUID.randomUUID() + ".example.com";
    }

    /** A new API defining {@code apiScopes}, and a new app granted {@code granted} on it. */
    record GrantedApp(String identifier, String apiId, App app) {
    }

    GrantedApp grantedApp(java.util.List<String> apiScopes, String... granted) {
        String identifier = uniqueIdentifier();
        String apiId = createApi(identifier, apiScopes.toArray(String[]::new));
        App app = createApp("app-" + identifier.substring(12, 20), null);
        grant(app.clientId(), apiId, granted);
        return new GrantedApp(identifier, apiId, app);
    }

    void grant(String clientId, String apiId, String... scopes) {
        String scopeJson = java.util.Arrays.stream(scopes).map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        Response response = admin("PUT", "/admin/clients/" + clientId + "/grants/" + apiId, "{\"scopes\":[" + scopeJson + "]}");
        assertThat(response.status()).as(response.body()).isIn(200, 201);
    }

    /** Sends raw bytes on a fresh socket and returns what the server answers before closing or going quiet. */
    String raw(String request) {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    String raw(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (answer.indexOf("\r\n\r\n") > 0 && completeBody(answer)) break;
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the server may close after an error; what arrived is the answer
            }
            return answer.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean completeBody(StringBuilder answer) {
        String text = answer.toString();
        int headerEnd = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, headerEnd));
        if (!m.find()) return false;
        return text.length() - headerEnd - 4 >= Integer.parseInt(m.group(1));
    }

    @Override
    public void close() {
        server.close();
    }
}
