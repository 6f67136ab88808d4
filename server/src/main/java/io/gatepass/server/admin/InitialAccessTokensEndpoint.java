package io.gatepass.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.InitialAccessTokenService;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /admin/initial-access-tokens}: the RFC 7591 §3 initial access tokens partners register their apps with.
 * The token's value is in the creation's answer only; lists show what it allows and how many uses it has left.
 */
public record InitialAccessTokensEndpoint(AdminHttp http, InitialAccessTokenService tokens) {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "expires_in", "max_uses", "grants", "allowed_auth_methods");

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), CREATE_FIELDS);
        InitialAccessTokenService.Created created = tokens.create(caller, new InitialAccessTokenService.NewToken(
                body.optionalString("name", 255).orElse(null), body.optionalInt("expires_in").orElse(null),
                body.optionalInt("max_uses").orElse(null), grants(body), methods(body)));
        Map<String, Object> view = AdminViews.initialAccessToken(created.token());
        view.put("token", created.value()); // shown this once, never again
        res.header("Location", "/admin/initial-access-tokens/" + created.token().id());
        http.responses().sendNoStore(res, 201, view);
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        Paging paging = Paging.from(req);
        http.responses().send(res, 200, tokens.list(paging.limit(), paging.offset()).stream()
                .map(AdminViews::initialAccessToken).toList());
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        tokens.remove(caller, AdminHttp.pathParameter(req, "id"));
        res.status(204).send();
    }

    private static List<InitialAccessTokenService.GrantRequest> grants(JsonBody body) {
        return body.optionalArray("grants").map(array -> {
            List<InitialAccessTokenService.GrantRequest> grants = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode entry = array.get(i);
                String path = "grants[" + i + "]";
                if (!entry.isObject()) throw Problem.badField(path, "must be an object {api_id, scopes}");
                String apiId = JsonBody.optionalString(entry, "api_id", path + ".api_id", 64)
                        .orElseThrow(() -> Problem.badField(path + ".api_id", "is required"));
                JsonNode scopes = entry.get("scopes");
                if (scopes == null || !scopes.isArray()) throw Problem.badField(path + ".scopes", "must be an array of scope names");
                List<String> values = new ArrayList<>();
                for (int j = 0; j < scopes.size(); j++) {
                    if (!scopes.get(j).isTextual()) throw Problem.badField(path + ".scopes[" + j + "]", "must be a string");
                    values.add(scopes.get(j).textValue());
                }
                grants.add(new InitialAccessTokenService.GrantRequest(apiId, values));
            }
            return grants;
        }).orElse(null);
    }

    private static List<ClientAuthMethod> methods(JsonBody body) {
        return body.optionalStrings("allowed_auth_methods").map(values -> values.stream().map(value -> ClientAuthMethod.parse(value)
                .orElseThrow(() -> Problem.badField("allowed_auth_methods", "must name methods among "
                        + Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::value).toList()))).toList()).orElse(null);
    }
}
