package io.gatepass.server.console;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.ApiService;
import io.gatepass.server.manage.AppService;
import io.gatepass.server.manage.GrantService;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /console/grants}: apps × APIs with the granted scopes; each cell grants, narrows or removes. */
public final class ConsoleGrants {
    private final ConsoleHttp http;
    private final ApiService apis;
    private final AppService apps;
    private final GrantService grants;

    ConsoleGrants(ConsoleHttp http, ApiService apis, AppService apps, GrantService grants) {
        this.http = http;
        this.apis = apis;
        this.apps = apps;
        this.grants = grants;
    }

    /** One app × API cell. */
    public record Cell(Api api, boolean granted, Set<String> scopes) {
        public String id(Client app) {
            return "grant-" + app.clientId() + "-" + api.id();
        }
    }

    public record Row(Client app, List<Cell> cells) {
    }

    public record View(Page page, List<Api> apis, List<Row> rows) {
    }

    void show(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.CLIENTS_READ).require(AdminScopes.APIS_READ);
        List<Api> columns = apis.list(ConsoleApis.LISTED, 0);
        Map<String, Map<String, Grant>> byApi = new HashMap<>();
        for (Api api : columns) {
            Map<String, Grant> column = new HashMap<>();
            for (Grant grant : grants.onApi(api.id())) column.put(grant.clientId(), grant);
            byApi.put(api.id(), column);
        }
        List<Row> rows = new ArrayList<>();
        for (Client app : apps.list(ConsoleApps.LISTED, 0)) {
            List<Cell> cells = new ArrayList<>();
            for (Api api : columns) {
                Grant grant = byApi.get(api.id()).get(app.clientId());
                cells.add(new Cell(api, grant != null, grant == null ? Set.of() : grant.scopes()));
            }
            rows.add(new Row(app, cells));
        }
        http.render(res, 200, "grants.jte", new View(signed.page("Grants", "grants", Notices.of(req)), columns, rows));
    }

    void change(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = http.changing(req, form).caller().require(AdminScopes.CLIENTS_WRITE);
        String clientId = form.required("client_id", "The app");
        String apiId = form.required("api_id", "The API");
        String action = form.first("action").orElse("save");
        switch (action) {
            case "remove" -> grants.remove(caller, clientId, apiId);
            case "save" -> grants.put(caller, clientId, apiId, form.all("scope"), null);
            default -> throw Problem.badField("action", "must be save or remove");
        }
        http.redirect(res, "/console/grants?done=" + (action.equals("remove") ? "grant-removed" : "grant-saved"));
    }
}
