package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.web.Problem;
import io.gatepass.server.codec.Text;
import io.gatepass.server.store.StoreTransaction;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/clients/{client_id}/grants/{api_id}}: what an app may request from an API. */
public final class GrantsEndpoint {
    private static final Set<String> PUT_FIELDS = Set.of("scopes");

    private final AdminContext ctx;

    public GrantsEndpoint(AdminContext context) {
        this.ctx = context;
    }

    /** Creates the grant (201) or replaces its scopes (200): grant, widen or narrow at any time. */
    public void put(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        String apiId = req.path().pathParameters().get("api_id");
        JsonBody body = JsonBody.read(req, ctx.json(), PUT_FIELDS);
        JsonNode array = body.optionalArray("scopes").orElseThrow(() -> Problem.badField("scopes", "is required"));
        Instant now = ctx.clock().instant();
        record Outcome(Map<String, Object> view, boolean created) {
        }
        Outcome outcome = ctx.store().inTransaction(tx -> {
            ctx.power().changeableApp(tx, caller, clientId, "grant.updated");
            Api api = findApi(tx, apiId);
            Set<String> scopes = scopes(array, api);
            ctx.power().grantableScopes(caller, api, scopes, clientId, "grant.updated");
            Optional<Grant> before = tx.grants().find(clientId, apiId);
            Grant after = new Grant(clientId, apiId, scopes, before.map(Grant::createdAt).orElse(now), now);
            tx.grants().upsert(after);
            ctx.audit().record(tx, caller.clientId(), before.isPresent() ? "grant.updated" : "grant.created",
                    clientId, before.map(g -> AdminViews.grant(g, api)).orElse(null), AdminViews.grant(after, api));
            return new Outcome(AdminViews.grant(after, api), before.isEmpty());
        });
        ctx.responses().send(res, outcome.created() ? 201 : 200, outcome.view());
    }

    public void list(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.CLIENTS_READ);
        String clientId = req.path().pathParameters().get("client_id");
        List<Map<String, Object>> views = ctx.store().read(tx -> {
            ClientsEndpoint.find(tx, clientId);
            List<Map<String, Object>> list = new ArrayList<>();
            for (Grant grant : tx.grants().listForClient(clientId)) {
                tx.apis().findById(grant.apiId()).ifPresent(api -> list.add(AdminViews.grant(grant, api)));
            }
            return list;
        });
        ctx.responses().send(res, 200, views);
    }

    public void get(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.CLIENTS_READ);
        String clientId = req.path().pathParameters().get("client_id");
        String apiId = req.path().pathParameters().get("api_id");
        Map<String, Object> view = ctx.store().read(tx -> {
            ClientsEndpoint.find(tx, clientId);
            Api api = findApi(tx, apiId);
            Grant grant = tx.grants().find(clientId, apiId).orElseThrow(() -> noGrant(clientId, apiId));
            return AdminViews.grant(grant, api);
        });
        ctx.responses().send(res, 200, view);
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        String apiId = req.path().pathParameters().get("api_id");
        ctx.store().inTransaction(tx -> {
            ctx.power().changeableApp(tx, caller, clientId, "grant.deleted");
            Api api = findApi(tx, apiId);
            Grant grant = tx.grants().find(clientId, apiId).orElseThrow(() -> noGrant(clientId, apiId));
            tx.grants().delete(clientId, apiId);
            ctx.audit().record(tx, caller.clientId(), "grant.deleted", clientId, AdminViews.grant(grant, api), null);
            return null;
        });
        res.status(204).send();
    }

    private static Api findApi(StoreTransaction tx, String apiId) {
        return tx.apis().findById(apiId).orElseThrow(() -> Problem.notFound("no API with id " + Text.printable(apiId)));
    }

    private static Problem noGrant(String clientId, String apiId) {
        return Problem.notFound("app " + clientId + " has no grant on API " + Text.printable(apiId));
    }

    private static Set<String> scopes(JsonNode array, Api api) {
        Set<String> scopes = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            String path = "scopes[" + i + "]";
            if (!entry.isTextual()) throw Problem.badField(path, "must be a string");
            String scope = entry.textValue();
            if (!api.definesScope(scope)) {
                throw Problem.badField(path, "API " + api.identifier() + " defines no scope " + Text.printable(scope));
            }
            scopes.add(scope);
        }
        return scopes;
    }
}
