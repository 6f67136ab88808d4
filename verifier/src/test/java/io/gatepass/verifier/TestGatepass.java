package io.gatepass.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** A real Gatepass on a random port and the management calls the verifier tests need. */
final class TestGatepass implements AutoCloseable {
    static final String ADMIN_SECRET = "verifier-test-bootstrap-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final GatepassServer server;

    TestGatepass(Path dataDir) {
        this(dataDir, ServerConfig.Edge.DIRECT);
    }

    /** With proxy, client-certificate and DPoP-nonce settings of the test's own. */
    TestGatepass(Path dataDir, ServerConfig.Edge edge) {
        server = GatepassServer.start(ServerConfig.builder().port(0).dataDir(dataDir).bootstrapAdminSecret(ADMIN_SECRET)
                .edge(edge).build());
    }

    URI issuer() {
        return URI.create(server.issuer());
    }

    /** A management call; returns the answer's body (JSON, or "" for 204). */
    String admin(String method, String path, String body) throws Exception {
        String form = "grant_type=client_credentials&audience=urn:gatepass:admin";
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("gatepass-admin:" + ADMIN_SECRET).getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String accessToken = (String) JSONObjectUtils.parse(token.body()).get("access_token");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.issuer() + path))
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
        return response.body();
    }

    Map<String, Object> adminJson(String method, String path, String body) throws Exception {
        return JSONObjectUtils.parse(admin(method, path, body));
    }

    /** Registers an API with these scopes; returns its id. */
    String api(String identifier, String... scopes) throws Exception {
        String list = scopes.length == 0 ? "" : "\"" + String.join("\",\"", scopes) + "\"";
        return (String) adminJson("POST", "/admin/apis", "{\"identifier\":\"" + identifier + "\",\"name\":\"n\",\"scopes\":["
                + list + "]}").get("id");
    }

    /** An app granted these scopes on the API; returns a token source for it. */
    App app(String apiId, String audience, String... scopes) throws Exception {
        return app("{\"client_name\":\"app\"}", builder -> { }, apiId, audience, scopes);
    }

    /** The same, registered with {@code body} and with the token source's settings changed by {@code settings}. */
    App app(String body, java.util.function.Consumer<GatepassTokenSource.Builder> settings, String apiId, String audience,
            String... scopes) throws Exception {
        Map<String, Object> app = adminJson("POST", "/admin/clients", body);
        String clientId = (String) app.get("client_id");
        String list = scopes.length == 0 ? "" : "\"" + String.join("\",\"", scopes) + "\"";
        admin("PUT", "/admin/clients/" + clientId + "/grants/" + apiId, "{\"scopes\":[" + list + "]}");
        GatepassTokenSource.Builder tokens = GatepassTokenSource.builder().issuer(issuer())
                .auth(ClientAuth.clientSecretBasic(clientId, (String) app.get("client_secret"))).audience(audience);
        settings.accept(tokens);
        return new App(clientId, (String) app.get("client_secret"), tokens.build());
    }

    record App(String clientId, String secret, GatepassTokenSource tokens) {
        String token() {
            return tokens.token().value();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
