package io.gatepass.server.manage;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.web.Problem;
import io.gatepass.server.store.StoreTransaction;
import java.util.Set;
import java.util.TreeSet;

/**
 * The management-authorization rule, in one place: no caller can give, keep or take over more management power
 * than it holds. An app's management power is its grant on the management API; a caller's is the scopes of its
 * token. Scopes say what kind of change a call may make; this says on whom.
 * <ul>
 * <li>any change to an app (its fields, status, secrets, keys, grants, tokens, removal) needs the app's management
 * grant to be within the caller's scopes;</li>
 * <li>a grant on the management API may name only scopes the caller holds;</li>
 * <li>the management API's own record is read-only but for its name.</li>
 * </ul>
 * Each refusal is a 403 and an audit event ({@code management.refused}) naming the caller and the target, written
 * apart from the refused change's transaction, which rolls back.
 */
final class ManagementPower {
    private final AuditBatchWriter audit;

    ManagementPower(AuditBatchWriter audit) {
        this.audit = audit;
    }

    /** The app {@code clientId}, found in {@code tx}, when the caller may change it; 404 or 403 otherwise. */
    Client changeableApp(StoreTransaction tx, AdminCaller caller, String clientId, String action) {
        Client client = AppService.find(tx, clientId);
        Set<String> missing = missing(caller, managementScopes(tx, clientId));
        if (!missing.isEmpty()) {
            throw refused(caller, action, clientId, "app " + clientId + " holds management scopes this caller lacks "
                    + missing + "; only a caller holding all of them may change it");
        }
        return client;
    }

    /** A grant of {@code scopes} on {@code api}: on the management API, only scopes the caller holds. */
    void grantableScopes(AdminCaller caller, Api api, Set<String> scopes, String clientId, String action) {
        if (!api.isAdminApi()) return;
        Set<String> missing = missing(caller, scopes);
        if (!missing.isEmpty()) {
            throw refused(caller, action, clientId, "a grant on the management API may name only scopes the caller "
                    + "holds; this caller lacks " + missing);
        }
    }

    /** The management API's record changes only in its name. */
    void adminApiChange(AdminCaller caller, Api before, Api after) {
        if (!before.isAdminApi()) return;
        boolean onlyName = before.scopes().equals(after.scopes()) && before.tokenLifetime() == after.tokenLifetime()
                && before.signingAlg().equals(after.signingAlg()) && before.tokenProfile() == after.tokenProfile()
                && before.tokenExchangeActors().equals(after.tokenExchangeActors());
        if (!onlyName) {
            throw refused(caller, "api.updated", before.id(), "the management API " + Api.ADMIN_IDENTIFIER
                    + " is read-only but for its name: its scopes, token_lifetime, signing_alg, token_profile and "
                    + "token_exchange_actors are fixed");
        }
    }

    private static Set<String> managementScopes(StoreTransaction tx, String clientId) {
        return tx.apis().findByIdentifier(Api.ADMIN_IDENTIFIER)
                .flatMap(api -> tx.grants().find(clientId, api.id()))
                .map(Grant::scopes)
                .orElse(Set.of());
    }

    private static Set<String> missing(AdminCaller caller, Set<String> power) {
        Set<String> missing = new TreeSet<>(power);
        missing.removeAll(caller.scopes());
        return missing;
    }

    private Problem refused(AdminCaller caller, String action, String target, String detail) {
        audit.managementRefused(caller.clientId(), action, target, detail);
        return Problem.of(403, detail);
    }
}
