package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;

import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.web.Problem;
import io.gatepass.server.codec.Text;
import io.gatepass.server.oauth.ClientSecrets;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/clients/{client_id}/secrets}: rotation with overlap. An app has at most two secrets, so a new one
 * can be rolled out while the old one still works; the old one is then deleted. Values are shown once, at
 * creation; lists show ids and dates only.
 */
public final class ClientSecretsEndpoint {
    static final int MAX_SECRETS = 2;

    private final AdminContext ctx;

    public ClientSecretsEndpoint(AdminContext context) {
        this.ctx = context;
    }

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        String secret = ClientSecrets.generate();
        ClientSecret stored = ClientsEndpoint.newSecret(clientId, secret, ctx.clock().instant());
        ctx.store().inTransaction(tx -> {
            if (!ctx.power().changeableApp(tx, caller, clientId, "client.secret.created").authMethod().usesSecret()) {
                throw Problem.conflict("this app authenticates with private_key_jwt and has no secrets; "
                        + "register its keys with jwks or jwks_uri");
            }
            if (tx.secrets().listForClient(clientId).size() >= MAX_SECRETS) {
                throw Problem.conflict("an app has at most " + MAX_SECRETS + " secrets; delete the older one first");
            }
            tx.secrets().insert(stored);
            ctx.audit().record(tx, caller.clientId(), "client.secret.created", clientId, null, AdminViews.secret(stored));
            return null;
        });
        Map<String, Object> view = AdminViews.secret(stored);
        view.put("client_secret", secret); // shown this once, never again
        res.header("Location", "/admin/clients/" + clientId + "/secrets/" + stored.id());
        ctx.responses().sendNoStore(res, 201, view);
    }

    public void list(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.CLIENTS_READ);
        String clientId = req.path().pathParameters().get("client_id");
        List<ClientSecret> secrets = ctx.store().read(tx -> {
            ClientsEndpoint.find(tx, clientId);
            return tx.secrets().listForClient(clientId);
        });
        ctx.responses().send(res, 200, secrets.stream().map(AdminViews::secret).toList());
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        String secretId = req.path().pathParameters().get("secret_id");
        ctx.store().inTransaction(tx -> {
            ctx.power().changeableApp(tx, caller, clientId, "client.secret.deleted");
            List<ClientSecret> secrets = tx.secrets().listForClient(clientId);
            ClientSecret secret = secrets.stream().filter(s -> s.id().equals(secretId)).findFirst()
                    .orElseThrow(() -> Problem.notFound("app " + clientId + " has no secret " + Text.printable(secretId)));
            if (secrets.size() == 1) {
                throw Problem.conflict("this is the app's only secret; create a new one first, or block the app");
            }
            tx.secrets().delete(clientId, secretId);
            ctx.audit().record(tx, caller.clientId(), "client.secret.deleted", clientId, AdminViews.secret(secret), null);
            return null;
        });
        res.status(204).send();
    }
}
