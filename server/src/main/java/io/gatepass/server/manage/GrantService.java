package io.gatepass.server.manage;

import io.gatepass.server.audit.Actor;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Text;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.StoreTransaction;
import io.gatepass.server.web.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an app may request from an API: grant, widen, narrow or take away at any time. Each call checks its input and
 * the caller's power, writes in one transaction with its audit record, and is announced to the caches by the store.
 */
public record GrantService(Store store, AuditTrail audit, ManagementPower power, Clock clock) {
    /** A grant with the API it is on. */
    public record GrantOnApi(Grant grant, Api api) {
    }

    /** The grant after a {@link #put}, and whether it is new. */
    public record Put(GrantOnApi grant, boolean created) {
    }

    /**
     * Creates the grant or replaces it; each scope must be one the API defines.
     *
     * @param claims extra claims for the grant's tokens, a JSON object as text, or {@code null} for none
     */
    public Put put(AdminCaller caller, String clientId, String apiId, List<String> requested, String claims) {
        String checkedClaims = CustomClaims.checked("claims", claims);
        return store.inTransaction(tx -> {
            power.changeableApp(tx, caller, clientId, "grant.updated");
            Api api = ApiService.find(tx, apiId);
            Set<String> scopes = scopes(requested, api);
            power.grantableScopes(caller, api, scopes, clientId, "grant.updated");
            return grant(tx, caller.actor(), clientId, api, scopes, checkedClaims);
        });
    }

    /** Writes the grant, checked already, with its audit record. */
    Put grant(StoreTransaction tx, Actor actor, String clientId, Api api, Set<String> scopes, String claims) {
        Instant now = clock.instant();
        Optional<Grant> before = tx.grants().find(clientId, api.id());
        Grant after = new Grant(clientId, api.id(), scopes, before.map(Grant::createdAt).orElse(now), now, claims);
        tx.grants().upsert(after);
        audit.record(tx, actor, before.isPresent() ? "grant.updated" : "grant.created",
                clientId, before.map(g -> AdminViews.grant(g, api)).orElse(null), AdminViews.grant(after, api));
        return new Put(new GrantOnApi(after, api), before.isEmpty());
    }

    public List<GrantOnApi> list(String clientId) {
        return store.read(tx -> {
            AppService.find(tx, clientId);
            List<GrantOnApi> list = new ArrayList<>();
            for (Grant grant : tx.grants().listForClient(clientId)) {
                tx.apis().findById(grant.apiId()).ifPresent(api -> list.add(new GrantOnApi(grant, api)));
            }
            return list;
        });
    }

    /** Every grant on one API: a column of the console's matrix. */
    public List<Grant> onApi(String apiId) {
        return store.read(tx -> tx.grants().listForApi(apiId));
    }

    public GrantOnApi find(String clientId, String apiId) {
        return store.read(tx -> {
            AppService.find(tx, clientId);
            Api api = ApiService.find(tx, apiId);
            Grant grant = tx.grants().find(clientId, apiId).orElseThrow(() -> noGrant(clientId, apiId));
            return new GrantOnApi(grant, api);
        });
    }

    public void remove(AdminCaller caller, String clientId, String apiId) {
        store.inTransaction(tx -> {
            power.changeableApp(tx, caller, clientId, "grant.deleted");
            Api api = ApiService.find(tx, apiId);
            Grant grant = tx.grants().find(clientId, apiId).orElseThrow(() -> noGrant(clientId, apiId));
            tx.grants().delete(clientId, apiId);
            audit.record(tx, caller.actor(), "grant.deleted", clientId, AdminViews.grant(grant, api), null);
            return null;
        });
    }

    private static Problem noGrant(String clientId, String apiId) {
        return Problem.notFound("app " + clientId + " has no grant on API " + Text.printable(apiId));
    }

    private static Set<String> scopes(List<String> requested, Api api) {
        Set<String> scopes = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String scope = requested.get(i);
            if (!api.definesScope(scope)) {
                throw Problem.badField("scopes[" + i + "]", "API " + api.identifier() + " defines no scope " + Text.printable(scope));
            }
            scopes.add(scope);
        }
        return scopes;
    }
}
