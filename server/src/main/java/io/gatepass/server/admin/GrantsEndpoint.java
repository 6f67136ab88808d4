package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.GrantService;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /admin/clients/{client_id}/grants/{api_id}}: what an app may request from an API. */
public record GrantsEndpoint(AdminHttp http, GrantService grants) {
    private static final Set<String> PUT_FIELDS = Set.of("scopes", "claims");

    /** Creates the grant (201) or replaces its scopes (200): grant, widen or narrow at any time. */
    public void put(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), PUT_FIELDS);
        List<String> scopes = body.optionalStrings("scopes").orElseThrow(() -> Problem.badField("scopes", "is required"));
        GrantService.Put put = grants.put(caller, AdminHttp.pathParameter(req, "client_id"),
                AdminHttp.pathParameter(req, "api_id"), scopes,
                body.optionalObject("claims").map(http.json()::writeString).orElse(null));
        http.responses().send(res, put.created() ? 201 : 200, view(put.grant()));
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        List<Map<String, Object>> views = grants.list(AdminHttp.pathParameter(req, "client_id")).stream()
                .map(GrantsEndpoint::view).toList();
        http.responses().send(res, 200, views);
    }

    public void get(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        GrantService.GrantOnApi grant = grants.find(AdminHttp.pathParameter(req, "client_id"), AdminHttp.pathParameter(req, "api_id"));
        http.responses().send(res, 200, view(grant));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        grants.remove(caller, AdminHttp.pathParameter(req, "client_id"), AdminHttp.pathParameter(req, "api_id"));
        res.status(204).send();
    }

    private static Map<String, Object> view(GrantService.GrantOnApi grant) {
        return AdminViews.grant(grant.grant(), grant.api());
    }
}
