package io.gatepass.examples;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatepass.client.ClientAuth;
import io.gatepass.client.GatepassTokenSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/**
 * Registers the example in Gatepass through its management API, as an admin app: the storage API with its two
 * scopes, and one app per service with its own grant. (The CLI does the same: docs/cli.md.)
 */
public final class ScenarioSetup {
    /** An app made for the example: its id and secret. */
    public record App(String clientId, String secret) {
    }

    private final URI issuer;
    private final GatepassTokenSource admin;
    private final HttpClient http = HttpClient.newHttpClient();

    public ScenarioSetup(URI issuer, String adminClientId, String adminSecret) {
        this.issuer = issuer;
        this.admin = GatepassTokenSource.builder().issuer(issuer)
                .auth(ClientAuth.clientSecretBasic(adminClientId, adminSecret)).audience("urn:gatepass:admin").build();
    }

    /** The storage API's id, registering it when it is not there yet. */
    public String storageApi(String identifier) throws IOException, InterruptedException {
        List<Object> found;
        try {
            found = JSONArrayUtils.parse(call("GET", "/admin/apis?identifier="
                    + URLEncoder.encode(identifier, StandardCharsets.UTF_8), null));
        } catch (ParseException e) {
            throw new IOException("the API list is not JSON", e);
        }
        if (!found.isEmpty()) return (String) ((Map<?, ?>) found.get(0)).get("id");
        return (String) object(call("POST", "/admin/apis", "{\"identifier\":\"" + identifier + "\",\"name\":\"Storage\","
                + "\"scopes\":[{\"value\":\"archive:write\",\"description\":\"Store archives\"},"
                + "{\"value\":\"archive:read\",\"description\":\"Read archives\"}]}")).get("id");
    }

    /** A new app granted exactly {@code scope} on the API. */
    public App app(String name, String apiId, String scope) throws IOException, InterruptedException {
        Map<String, Object> app = object(call("POST", "/admin/clients", "{\"client_name\":\"" + name + "\"}"));
        String clientId = (String) app.get("client_id");
        call("PUT", "/admin/clients/" + clientId + "/grants/" + apiId, "{\"scopes\":[\"" + scope + "\"]}");
        return new App(clientId, (String) app.get("client_secret"));
    }

    public void block(String clientId) throws IOException, InterruptedException {
        call("PATCH", "/admin/clients/" + clientId, "{\"status\":\"blocked\"}");
    }

    private String call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = admin.authorize(HttpRequest.newBuilder(URI.create(issuer + path)))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static Map<String, Object> object(String json) throws IOException {
        try {
            return JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IOException("not JSON: " + json, e);
        }
    }
}
