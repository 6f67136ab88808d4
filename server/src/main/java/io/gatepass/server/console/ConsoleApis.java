package io.gatepass.server.console;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.ApiService;
import io.gatepass.server.manage.Patch;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /console/apis}: list, register, change and remove APIs, through {@link ApiService} like the management API. */
public final class ConsoleApis {
    /** How many APIs a page lists; the management API pages further. */
    static final int LISTED = 500;

    private final ConsoleHttp http;
    private final ApiService apis;
    private final List<String> algorithms;

    ConsoleApis(ConsoleHttp http, ApiService apis, List<String> algorithms) {
        this.http = http;
        this.apis = apis;
        this.algorithms = List.copyOf(algorithms);
    }

    public record ListView(Page page, List<Api> apis, List<String> algorithms) {
    }

    public record EditView(Page page, Api api, String scopesText, List<String> algorithms) {
    }

    void list(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.APIS_READ);
        http.render(res, 200, "apis.jte", new ListView(signed.page("APIs", "apis", Notices.of(req)),
                apis.list(LISTED, 0), algorithms));
    }

    void create(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = http.changing(req, form).caller().require(AdminScopes.APIS_WRITE);
        Api api = apis.register(caller, new ApiService.NewApi(form.required("identifier", "Identifier"),
                form.required("name", "Name"), scopes(form).orElse(null), form.integer("token_lifetime", "Token lifetime").orElse(null),
                form.first("signing_alg").orElse(null), null, null));
        http.redirect(res, "/console/apis/" + api.id() + "?done=api-created");
    }

    void edit(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.APIS_READ);
        Api api = apis.find(req.path().pathParameters().get("id"));
        http.render(res, 200, "api.jte", new EditView(signed.page("API " + api.name(), "apis", Notices.of(req)), api,
                scopesText(api), algorithms));
    }

    void update(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = http.changing(req, form).caller().require(AdminScopes.APIS_WRITE);
        String id = req.path().pathParameters().get("id");
        apis.change(caller, id, new ApiService.ApiChange(Patch.to(form.required("name", "Name")),
                Patch.to(scopes(form).orElse(List.of())), Patch.ifPresent(form.integer("token_lifetime", "Token lifetime")),
                Patch.ifPresent(form.first("signing_alg")), Patch.keep(), Patch.keep()));
        http.redirect(res, "/console/apis/" + id + "?done=api-updated");
    }

    void delete(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = http.changing(req, form).caller().require(AdminScopes.APIS_WRITE);
        apis.remove(caller, req.path().pathParameters().get("id"));
        http.redirect(res, "/console/apis?done=api-deleted");
    }

    /** The scopes field: a scope a line, its name first and then, after a space, its description. */
    private static Optional<List<ApiScope>> scopes(ConsoleHttp.Form form) {
        Optional<String> text = form.first("scopes");
        if (text.isEmpty()) return Optional.empty();
        List<ApiScope> scopes = new ArrayList<>();
        for (String line : text.get().split("\r?\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) continue;
            int space = trimmed.indexOf(' ');
            String value = space < 0 ? trimmed : trimmed.substring(0, space);
            String description = space < 0 ? "" : trimmed.substring(space + 1).trim();
            if (description.length() > 500) throw Problem.badField("scopes", "the description of " + value + " is over 500 characters");
            scopes.add(new ApiScope(value, description));
        }
        return Optional.of(scopes);
    }

    private static String scopesText(Api api) {
        StringBuilder text = new StringBuilder();
        for (ApiScope scope : api.scopes()) {
            text.append(scope.value());
            if (!scope.description().isEmpty()) text.append(' ').append(scope.description());
            text.append('\n');
        }
        return text.toString();
    }
}
