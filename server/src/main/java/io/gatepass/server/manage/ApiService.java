package io.gatepass.server.manage;

import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.domain.TokenProfile;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.store.DuplicateKeyException;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.StoreTransaction;
import io.gatepass.server.web.HttpLimits;
import io.gatepass.server.web.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Management changes to APIs. Each call checks its input and the caller's power, writes in one transaction with its
 * audit record, and is announced to the caches by the store after it commits.
 */
public record ApiService(Store store, AuditTrail audit, ManagementPower power, KeyRing keys, KeyRotation rotation, Clock clock) {
    public static final int DEFAULT_TOKEN_LIFETIME = 3600; // RFC 9068 §2.2 exp: one hour, like Auth0's default
    public static final int MIN_TOKEN_LIFETIME = 60;
    public static final int MAX_TOKEN_LIFETIME = 86_400;
    /** The management API's own tokens; other APIs default to the server's {@code --default-signing-alg}. */
    static final String DEFAULT_SIGNING_ALG = "RS256";

    /** A new API; {@code null} leaves a field to the server default. */
    public record NewApi(String identifier, String name, List<ApiScope> scopes, Integer tokenLifetime, String signingAlg,
                         TokenProfile tokenProfile, List<String> tokenExchangeActors) {
    }

    /** A change to an API, field by field; its identifier never changes. */
    public record ApiChange(Patch<String> name, Patch<List<ApiScope>> scopes, Patch<Integer> tokenLifetime,
                            Patch<String> signingAlg, Patch<TokenProfile> tokenProfile, Patch<List<String>> tokenExchangeActors) {
    }

    /** Apps that may exchange an API's tokens (RFC 8693): at most this many. */
    static final int MAX_ACTORS = 100;

    public Api register(AdminCaller caller, NewApi draft) {
        ApiIdentifiers.check(draft.identifier());
        scopesCheck(draft.scopes());
        Checks.within("token_lifetime", draft.tokenLifetime(), MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME);
        String alg = draft.signingAlg() != null ? draft.signingAlg() : keys.policy().defaultAlg();
        signingAlgCheck(caller, alg);
        Instant now = clock.instant();
        Api api = new Api("api_" + ClientSecrets.randomId(20), draft.identifier(), draft.name(),
                draft.scopes() == null ? List.of() : List.copyOf(draft.scopes()),
                draft.tokenLifetime() == null ? DEFAULT_TOKEN_LIFETIME : draft.tokenLifetime(), alg,
                draft.tokenProfile() == null ? TokenProfile.RFC9068 : draft.tokenProfile(), now, now,
                actors(draft.tokenExchangeActors()));
        try {
            store.inTransaction(tx -> {
                actorsCheck(tx, api.tokenExchangeActors());
                lookAlikeCheck(tx, api.identifier());
                tx.apis().insert(api);
                audit.record(tx, caller.actor(), "api.created", api.id(), null, AdminViews.api(api));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw Problem.conflict("an API with identifier " + api.identifier() + " is already registered");
        }
        return api;
    }

    public List<Api> list(int limit, int offset) {
        return store.read(tx -> tx.apis().list(limit, offset));
    }

    public Optional<Api> findByIdentifier(String identifier) {
        return store.read(tx -> tx.apis().findByIdentifier(identifier));
    }

    public Api find(String id) {
        return store.read(tx -> find(tx, id));
    }

    public Api change(AdminCaller caller, String id, ApiChange change) {
        if (change.scopes().value() != null) scopesCheck(change.scopes().value());
        Checks.within("token_lifetime", change.tokenLifetime().value(), MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME);
        if (change.signingAlg().value() != null) signingAlgCheck(caller, change.signingAlg().value());
        return store.inTransaction(tx -> {
            Api before = find(tx, id);
            Api after = new Api(before.id(), before.identifier(), change.name().applyUnlessNull(before.name()),
                    change.scopes().applyUnlessNull(before.scopes()),
                    change.tokenLifetime().applyUnlessNull(before.tokenLifetime()),
                    change.signingAlg().applyUnlessNull(before.signingAlg()),
                    change.tokenProfile().applyUnlessNull(before.tokenProfile()), before.createdAt(), clock.instant(),
                    change.tokenExchangeActors().given() ? actors(change.tokenExchangeActors().value()) : before.tokenExchangeActors());
            if (change.tokenExchangeActors().given()) actorsCheck(tx, after.tokenExchangeActors());
            power.adminApiChange(caller, before, after);
            tx.apis().update(after);
            pruneGrants(tx, after);
            audit.record(tx, caller.actor(), "api.updated", id, AdminViews.api(before), AdminViews.api(after));
            return after;
        });
    }

    public void remove(AdminCaller caller, String id) {
        store.inTransaction(tx -> {
            Api api = find(tx, id);
            if (api.isAdminApi()) {
                throw Problem.conflict("the management API " + Api.ADMIN_IDENTIFIER + " cannot be removed");
            }
            tx.apis().delete(id); // its grants go with it (ON DELETE CASCADE)
            audit.record(tx, caller.actor(), "api.deleted", id, AdminViews.api(api), null);
            return null;
        });
    }

    static Api find(StoreTransaction tx, String id) {
        return tx.apis().findById(id).orElseThrow(() -> Problem.notFound("no API with id " + Text.printable(id)));
    }

    private static Set<String> actors(List<String> actors) {
        if (actors == null) return Set.of();
        if (actors.size() > MAX_ACTORS) throw Problem.badField("token_exchange_actors", "must have at most " + MAX_ACTORS + " entries");
        return new java.util.LinkedHashSet<>(actors);
    }

    /** Each actor is an app that exists now. */
    private static void actorsCheck(StoreTransaction tx, Set<String> actors) {
        for (String clientId : actors) {
            if (tx.clients().find(clientId).isEmpty()) {
                throw Problem.badField("token_exchange_actors", "names no app with client_id " + Text.printable(clientId));
            }
        }
    }

    /** Scope values are RFC 6749 §3.3 scope tokens, each once. */
    private static void scopesCheck(List<ApiScope> scopes) {
        if (scopes == null) return;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            String value = scopes.get(i).value();
            String path = "scopes[" + i + "]";
            if (value.length() > 128) throw Problem.badField(path, "must be at most 128 characters");
            if (!Text.isScopeToken(value)) {
                throw Problem.badField(path, "must be a scope token: printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)");
            }
            if (!seen.add(value)) throw Problem.badField(path, "repeats scope " + value);
        }
    }

    /** One of the server's algorithms; its ring exists before an API can ask for tokens of it. */
    private void signingAlgCheck(AdminCaller caller, String alg) {
        if (!keys.algorithms().contains(alg)) throw Problem.badField("signing_alg", "must be one of " + keys.algorithms());
        rotation.ensureRing(caller.actor(), alg);
    }

    /** 409 when an API with a look-alike identifier exists (the same one is the store's unique key). */
    private static void lookAlikeCheck(StoreTransaction tx, String identifier) {
        String key = ApiIdentifiers.lookAlikeKey(identifier);
        for (int offset = 0; ; offset += HttpLimits.MAX_PAGE_SIZE) {
            List<Api> page = tx.apis().list(HttpLimits.MAX_PAGE_SIZE, offset);
            for (Api existing : page) {
                if (!existing.identifier().equals(identifier) && ApiIdentifiers.lookAlikeKey(existing.identifier()).equals(key)) {
                    throw Problem.conflict("identifier " + identifier + " looks like that of API " + existing.id() + " ("
                            + existing.identifier() + "); choose one that differs in more than case, Unicode form or a "
                            + "trailing slash");
                }
            }
            if (page.size() < HttpLimits.MAX_PAGE_SIZE) return;
        }
    }

    /** A scope removed from the API is removed from every grant of it, in the same transaction. */
    private static void pruneGrants(StoreTransaction tx, Api api) {
        for (Grant grant : tx.grants().listForApi(api.id())) {
            Set<String> kept = new HashSet<>();
            for (String scope : grant.scopes()) if (api.definesScope(scope)) kept.add(scope);
            if (kept.size() != grant.scopes().size()) {
                tx.grants().upsert(new Grant(grant.clientId(), grant.apiId(), kept, grant.createdAt(), api.updatedAt(),
                        grant.claims()));
            }
        }
    }
}
