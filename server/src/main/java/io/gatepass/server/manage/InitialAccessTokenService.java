package io.gatepass.server.manage;

import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.InitialAccessToken;
import io.gatepass.server.domain.InitialAccessToken.GrantTemplate;
import io.gatepass.server.store.Store;
import io.gatepass.server.web.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * RFC 7591 §3 initial access tokens: an admin makes one to let a partner register its own apps, a limited number of
 * times, until it expires, with exactly the grants the token carries. The value is shown once; only its digest is
 * kept.
 */
public record InitialAccessTokenService(Store store, AuditTrail audit, ManagementPower power, Clock clock) {
    public static final String PREFIX = "gpi_";
    public static final int DEFAULT_EXPIRES_IN = 86_400;
    public static final int MAX_EXPIRES_IN = 30 * 86_400;
    public static final int MAX_USES = 10_000;
    private static final int MAX_GRANTS = 20;

    /** A grant an admin asks the token to carry: scopes of one API, by the API's id. */
    public record GrantRequest(String apiId, List<String> scopes) {
    }

    /** {@code null} leaves a field to its default: a day, one use, no grants, any method. */
    public record NewToken(String name, Integer expiresIn, Integer maxUses, List<GrantRequest> grants,
                           List<ClientAuthMethod> allowedAuthMethods) {
    }

    /** A token as made: its value exists only here. */
    public record Created(InitialAccessToken token, String value) {
    }

    public Created create(AdminCaller caller, NewToken request) {
        int expiresIn = Checks.within("expires_in", request.expiresIn(), 60, MAX_EXPIRES_IN) == null
                ? DEFAULT_EXPIRES_IN : request.expiresIn();
        int maxUses = Checks.within("max_uses", request.maxUses(), 1, MAX_USES) == null ? 1 : request.maxUses();
        List<GrantRequest> grants = request.grants() == null ? List.of() : request.grants();
        if (grants.size() > MAX_GRANTS) throw Problem.badField("grants", "must have at most " + MAX_GRANTS + " entries");
        String value = PREFIX + ClientSecrets.randomId(40);
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            List<GrantTemplate> templates = new ArrayList<>();
            Set<String> apis = new HashSet<>();
            for (int i = 0; i < grants.size(); i++) {
                GrantRequest grant = grants.get(i);
                String path = "grants[" + i + "]";
                Api api = tx.apis().findById(grant.apiId())
                        .orElseThrow(() -> Problem.badField(path + ".api_id", "names no API; use an id from GET /admin/apis"));
                if (!apis.add(api.id())) throw Problem.badField(path + ".api_id", "repeats API " + api.id());
                Set<String> scopes = new LinkedHashSet<>();
                for (int j = 0; j < grant.scopes().size(); j++) {
                    String scope = grant.scopes().get(j);
                    if (!api.definesScope(scope)) {
                        throw Problem.badField(path + ".scopes[" + j + "]", "API " + api.identifier() + " defines no scope "
                                + Text.printable(scope));
                    }
                    scopes.add(scope);
                }
                // a token that grants management scopes hands out power: only what its maker holds
                power.grantableScopes(caller, api, scopes, "a new initial access token", "initial_access_token.created");
                templates.add(new GrantTemplate(api.id(), scopes));
            }
            InitialAccessToken token = new InitialAccessToken("iat_" + ClientSecrets.randomId(20), request.name(),
                    ClientSecrets.digest(value), caller.clientId(), now, now.plusSeconds(expiresIn), maxUses, 0, templates,
                    request.allowedAuthMethods() == null ? Set.of() : new LinkedHashSet<>(request.allowedAuthMethods()));
            tx.initialAccessTokens().insert(token);
            audit.record(tx, caller.actor(), "initial_access_token.created", token.id(), null,
                    AdminViews.initialAccessToken(token));
            return new Created(token, value);
        });
    }

    public List<InitialAccessToken> list(int limit, int offset) {
        return store.read(tx -> tx.initialAccessTokens().list(limit, offset));
    }

    public void remove(AdminCaller caller, String id) {
        store.inTransaction(tx -> {
            InitialAccessToken token = tx.initialAccessTokens().find(id)
                    .orElseThrow(() -> Problem.notFound("no initial access token with id " + Text.printable(id)));
            tx.initialAccessTokens().delete(id);
            audit.record(tx, caller.actor(), "initial_access_token.deleted", id, AdminViews.initialAccessToken(token), null);
            return null;
        });
    }
}
