package io.gatepass.cli;

import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.client.TokenRequestException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Talks to a running Gatepass over its HTTP API only, as an app: client credentials for tokens, the management
 * API with a token for {@code urn:gatepass:admin}. Error answers become {@link CliException}s carrying the
 * server's own description.
 */
final class GatepassClient {
    static final String ADMIN_AUDIENCE = "urn:gatepass:admin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;
    private final String clientId;
    private final String clientSecret;
    private String adminToken;

    GatepassClient(String server, String clientId, String clientSecret) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** The token response (RFC 6749 §5.1) for this app; {@code audience} and {@code scope} may be null. */
    JsonNode token(String audience, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (audience != null) form.put("audience", audience);
        if (scope != null) form.put("scope", scope);
        return oauth("/oauth/token", form);
    }

    /** The introspection response (RFC 7662 §2.2) for {@code token}, asked as this app. */
    JsonNode introspect(String token) {
        return oauth("/oauth/introspect", Map.of("token", token));
    }

    private JsonNode oauth(String path, Map<String, String> form) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic())
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
                .build();
        Answer answer = send(request);
        if (answer.status() == 200) return answer.json();
        JsonNode error = answer.json();
        String description = error == null ? "HTTP " + answer.status()
                : error.path("error").asText("error") + ": " + error.path("error_description").asText("");
        String errorCode = error == null ? "" : error.path("error").asText();
        // a refused app (wrong credentials, or blocked) is an authentication failure whatever the status
        int code = errorCode.equals("invalid_client") || errorCode.equals("unauthorized_client") ? ExitCode.AUTH
                : ExitCode.forStatus(answer.status());
        throw new CliException(code, description);
    }

    /**
     * Calls the management API. Returns the JSON answer, or {@code null} for 204.
     *
     * @param body a JSON-serializable value, or {@code null} for none
     */
    JsonNode admin(String method, String path, Object body) {
        if (adminToken == null) adminToken = adminToken();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        Answer answer = send(request.build());
        if (answer.status() == 204) return null;
        if (answer.status() / 100 == 2) return answer.json();
        JsonNode problem = answer.json();
        String detail = problem == null ? "HTTP " + answer.status()
                : problem.path("detail").asText(problem.path("title").asText("HTTP " + answer.status()));
        throw new CliException(ExitCode.forStatus(answer.status()), detail + " (HTTP " + answer.status() + ")");
    }

    /** A management API answer that is not JSON (the audit export's JSON lines), as text. */
    String adminText(String path) {
        if (adminToken == null) adminToken = adminToken();
        Answer answer = send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + adminToken)
                .GET().build());
        if (answer.status() == 200) return answer.body();
        JsonNode problem = answer.json();
        String detail = problem == null ? "HTTP " + answer.status() : problem.path("detail").asText("HTTP " + answer.status());
        throw new CliException(ExitCode.forStatus(answer.status()), detail + " (HTTP " + answer.status() + ")");
    }

    /** A public document of the server (its metadata), without a token. */
    JsonNode get(String path) {
        Answer answer = send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Accept", "application/json").GET().build());
        if (answer.status() != 200 || answer.json() == null) {
            throw new CliException(ExitCode.forStatus(answer.status()), path + " answered HTTP " + answer.status());
        }
        return answer.json();
    }

    /** The client_id this client acts as. */
    String clientId() {
        return clientId;
    }

    /** From the client SDK, as any app gets its tokens: one attempt, a command fails fast. */
    private String adminToken() {
        GatepassTokenSource source = GatepassTokenSource.builder()
                .tokenEndpoint(uri("/oauth/token"))
                .auth(ClientAuth.clientSecretBasic(clientId, clientSecret))
                .audience(ADMIN_AUDIENCE)
                .maxAttempts(1)
                .httpClient(http)
                .build();
        try {
            return source.token().value();
        } catch (TokenRequestException e) {
            String error = e.error() == null ? "" : e.error();
            if (e.status() == 0) throw unreachable(e.getCause());
            // a refused app, or one with no grant on the management API, is a matter of permission
            if (error.equals("invalid_client") || error.equals("unauthorized_client")) {
                throw new CliException(ExitCode.AUTH, e.getMessage());
            }
            if (e.status() == 400) {
                throw new CliException(ExitCode.AUTH, "this app may not use the management API: " + e.getMessage());
            }
            throw new CliException(ExitCode.forStatus(e.status()), e.getMessage());
        }
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILURE, "interrupted");
        }
    }

    private CliException unreachable(Throwable e) {
        String why = e instanceof java.net.ConnectException ? "connection refused; is it running?"
                : e instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                : e == null || e.getMessage() == null ? "no answer" : e.getMessage();
        return new CliException(ExitCode.UNREACHABLE, "cannot reach Gatepass at " + server + ": " + why);
    }

    private URI uri(String path) {
        try {
            return URI.create(server + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--server must be a URL such as http://localhost:8080");
        }
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded before Base64. */
    private String basic() {
        String pair = encode(clientId) + ":" + encode(clientSecret);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String formBody(Map<String, String> form) {
        return form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Percent-encodes one path segment or query value. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
