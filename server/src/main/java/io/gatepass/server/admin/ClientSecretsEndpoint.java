package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.AppService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * {@code /admin/clients/{client_id}/secrets}: rotation with overlap. An app has at most two secrets, so a new one
 * can be rolled out while the old one still works; the old one is then deleted. Values are shown once, at
 * creation; lists show ids and dates only.
 */
public record ClientSecretsEndpoint(AdminHttp http, AppService apps) {
    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        String clientId = AdminHttp.pathParameter(req, "client_id");
        AppService.NewSecret secret = apps.createSecret(caller, clientId);
        Map<String, Object> view = AdminViews.secret(secret.stored());
        view.put("client_secret", secret.value()); // shown this once, never again
        res.header("Location", "/admin/clients/" + clientId + "/secrets/" + secret.stored().id());
        http.responses().sendNoStore(res, 201, view);
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        String clientId = AdminHttp.pathParameter(req, "client_id");
        http.responses().send(res, 200, apps.secrets(clientId).stream().map(AdminViews::secret).toList());
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        apps.removeSecret(caller, AdminHttp.pathParameter(req, "client_id"), AdminHttp.pathParameter(req, "secret_id"));
        res.status(204).send();
    }
}
