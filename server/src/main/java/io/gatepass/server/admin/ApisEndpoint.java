package io.gatepass.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.TokenProfile;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.ApiService;
import io.gatepass.server.manage.Patch;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/apis}: register, list, read, change and remove APIs. */
public record ApisEndpoint(AdminHttp http, ApiService apis) {
    private static final Set<String> CREATE_FIELDS = Set.of("identifier", "name", "scopes", "token_lifetime", "signing_alg",
            "token_profile", "token_exchange_actors");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "scopes", "token_lifetime", "signing_alg", "token_profile",
            "token_exchange_actors");

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.APIS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), CREATE_FIELDS);
        Api api = apis.register(caller, new ApiService.NewApi(body.requiredString("identifier", 255),
                body.requiredString("name", 255), scopes(body).orElse(null), body.optionalInt("token_lifetime").orElse(null),
                body.optionalString("signing_alg", 16).orElse(null), tokenProfile(body).orElse(null),
                body.optionalStrings("token_exchange_actors").orElse(null)));
        res.header("Location", "/admin/apis/" + api.id());
        http.responses().send(res, 201, AdminViews.api(api));
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.APIS_READ);
        Paging paging = Paging.from(req);
        Optional<String> identifier = Paging.stringParam(req, "identifier", 255);
        List<Api> found = identifier.isPresent()
                ? apis.findByIdentifier(identifier.get()).stream().toList()
                : apis.list(paging.limit(), paging.offset());
        http.responses().send(res, 200, found.stream().map(AdminViews::api).toList());
    }

    public void get(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.APIS_READ);
        http.responses().send(res, 200, AdminViews.api(apis.find(AdminHttp.pathParameter(req, "id"))));
    }

    public void update(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.APIS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), UPDATE_FIELDS);
        ApiService.ApiChange change = new ApiService.ApiChange(Patch.ifPresent(body.optionalString("name", 255)),
                Patch.ifPresent(scopes(body)), Patch.ifPresent(body.optionalInt("token_lifetime")),
                Patch.ifPresent(body.optionalString("signing_alg", 16)), Patch.ifPresent(tokenProfile(body)),
                body.clearable("token_exchange_actors", body.optionalStrings("token_exchange_actors")));
        http.responses().send(res, 200, AdminViews.api(apis.change(caller, AdminHttp.pathParameter(req, "id"), change)));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.APIS_WRITE);
        apis.remove(caller, AdminHttp.pathParameter(req, "id"));
        res.status(204).send();
    }

    /** Scope names, or objects {@code {value, description}}; their values are the service's to check. */
    private static Optional<List<ApiScope>> scopes(JsonBody body) {
        return body.optionalArray("scopes").map(array -> {
            List<ApiScope> scopes = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode entry = array.get(i);
                String path = "scopes[" + i + "]";
                if (entry.isTextual()) {
                    scopes.add(new ApiScope(entry.textValue(), ""));
                } else if (entry.isObject()) {
                    String value = JsonBody.optionalString(entry, "value", path + ".value", 128)
                            .orElseThrow(() -> Problem.badField(path + ".value", "is required"));
                    String description = JsonBody.optionalString(entry, "description", path + ".description", 500).orElse("");
                    scopes.add(new ApiScope(value, description));
                } else {
                    throw Problem.badField(path, "must be a scope name or an object {value, description}");
                }
            }
            return scopes;
        });
    }

    private static Optional<TokenProfile> tokenProfile(JsonBody body) {
        return body.optionalString("token_profile", 16).map(value -> TokenProfile.parse(value)
                .orElseThrow(() -> Problem.badField("token_profile", "must be rfc9068 (typ at+jwt) or jwt (typ JWT)")));
    }
}
