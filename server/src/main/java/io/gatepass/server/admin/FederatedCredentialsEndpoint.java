package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.FederatedCredentialService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Set;

/** {@code /admin/clients/{client_id}/federated-credentials}: which platform tokens prove a {@code federated_jwt} app. */
public record FederatedCredentialsEndpoint(AdminHttp http, FederatedCredentialService credentials) {
    private static final Set<String> CREATE_FIELDS = Set.of("issuer_id", "subject", "claims");

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        String clientId = AdminHttp.pathParameter(req, "client_id");
        JsonBody body = JsonBody.read(req, http.json(), CREATE_FIELDS);
        FederatedCredential credential = credentials.create(caller, clientId, new FederatedCredentialService.NewCredential(
                body.optionalString("issuer_id", 64).orElse(null), body.optionalString("subject", 1024).orElse(null),
                body.optionalObject("claims").map(http.json()::writeString).orElse(null)));
        res.header("Location", "/admin/clients/" + clientId + "/federated-credentials/" + credential.id());
        http.responses().send(res, 201, AdminViews.federatedCredential(credential));
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        http.responses().send(res, 200, credentials.list(AdminHttp.pathParameter(req, "client_id")).stream()
                .map(AdminViews::federatedCredential).toList());
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        credentials.remove(caller, AdminHttp.pathParameter(req, "client_id"), AdminHttp.pathParameter(req, "id"));
        res.status(204).send();
    }
}
