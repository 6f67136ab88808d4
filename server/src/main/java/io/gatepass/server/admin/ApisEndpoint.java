package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.domain.TokenProfile;
import io.gatepass.server.web.HttpLimits;
import io.gatepass.server.web.Problem;
import io.gatepass.server.codec.Text;
import io.gatepass.server.oauth.ClientSecrets;
import io.gatepass.server.store.DuplicateKeyException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/apis}: register, list, read, change and remove APIs. */
public final class ApisEndpoint {
    static final int DEFAULT_TOKEN_LIFETIME = 3600; // RFC 9068 §2.2 exp: one hour, like Auth0's default
    static final int MIN_TOKEN_LIFETIME = 60;
    static final int MAX_TOKEN_LIFETIME = 86_400;
    /** The management API's own tokens; other APIs default to the server's {@code --default-signing-alg}. */
    static final String DEFAULT_SIGNING_ALG = "RS256";
    private static final Set<String> CREATE_FIELDS = Set.of("identifier", "name", "scopes", "token_lifetime", "signing_alg",
            "token_profile");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "scopes", "token_lifetime", "signing_alg", "token_profile");

    private final AdminContext ctx;

    public ApisEndpoint(AdminContext context) {
        this.ctx = context;
    }

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.APIS_WRITE);
        JsonBody body = JsonBody.read(req, ctx.json(), CREATE_FIELDS);
        String identifier = body.requiredString("identifier", 255);
        ApiIdentifiers.check(identifier);
        Instant now = ctx.clock().instant();
        Api api = new Api("api_" + ClientSecrets.randomId(20), identifier, body.requiredString("name", 255),
                scopes(body).orElse(List.of()),
                body.optionalInt("token_lifetime", MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME).orElse(DEFAULT_TOKEN_LIFETIME),
                signingAlg(body, caller).orElseGet(() -> defaultAlg(caller)), tokenProfile(body).orElse(TokenProfile.RFC9068),
                now, now);
        try {
            ctx.store().inTransaction(tx -> {
                lookAlikeCheck(tx, identifier);
                tx.apis().insert(api);
                ctx.audit().record(tx, caller.clientId(), "api.created", api.id(), null, AdminViews.api(api));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw Problem.conflict("an API with identifier " + identifier + " is already registered");
        }
        res.header("Location", "/admin/apis/" + api.id());
        ctx.responses().send(res, 201, AdminViews.api(api));
    }

    public void list(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.APIS_READ);
        Paging paging = Paging.from(req);
        Optional<String> identifier = Paging.stringParam(req, "identifier", 255);
        List<Api> apis = ctx.store().read(tx -> identifier.isPresent()
                ? tx.apis().findByIdentifier(identifier.get()).stream().toList()
                : tx.apis().list(paging.limit(), paging.offset()));
        ctx.responses().send(res, 200, apis.stream().map(AdminViews::api).toList());
    }

    public void get(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.APIS_READ);
        String id = req.path().pathParameters().get("id");
        Api api = ctx.store().read(tx -> tx.apis().findById(id)).orElseThrow(() -> notFound(id));
        ctx.responses().send(res, 200, AdminViews.api(api));
    }

    public void update(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.APIS_WRITE);
        String id = req.path().pathParameters().get("id");
        JsonBody body = JsonBody.read(req, ctx.json(), UPDATE_FIELDS);
        var newScopes = scopes(body);
        var newLifetime = body.optionalInt("token_lifetime", MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME);
        var newAlg = signingAlg(body, caller);
        var newName = body.optionalString("name", 255);
        var newProfile = tokenProfile(body);
        Api updated = ctx.store().inTransaction(tx -> {
            Api before = tx.apis().findById(id).orElseThrow(() -> notFound(id));
            Api after = new Api(before.id(), before.identifier(), newName.orElse(before.name()),
                    newScopes.orElse(before.scopes()), newLifetime.orElse(before.tokenLifetime()),
                    newAlg.orElse(before.signingAlg()), newProfile.orElse(before.tokenProfile()), before.createdAt(),
                    ctx.clock().instant());
            ctx.power().adminApiChange(caller, before, after);
            tx.apis().update(after);
            pruneGrants(tx, after);
            ctx.audit().record(tx, caller.clientId(), "api.updated", id, AdminViews.api(before), AdminViews.api(after));
            return after;
        });
        ctx.responses().send(res, 200, AdminViews.api(updated));
    }

    /** 409 when an API with a look-alike identifier exists (the same one is the store's unique key). */
    private static void lookAlikeCheck(io.gatepass.server.store.StoreTransaction tx, String identifier) {
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
    private void pruneGrants(io.gatepass.server.store.StoreTransaction tx, Api api) {
        for (Grant grant : tx.grants().listForApi(api.id())) {
            Set<String> kept = new HashSet<>();
            for (String scope : grant.scopes()) if (api.definesScope(scope)) kept.add(scope);
            if (kept.size() != grant.scopes().size()) {
                tx.grants().upsert(new Grant(grant.clientId(), grant.apiId(), kept, grant.createdAt(), api.updatedAt()));
            }
        }
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.APIS_WRITE);
        String id = req.path().pathParameters().get("id");
        Api removed = ctx.store().inTransaction(tx -> {
            Api api = tx.apis().findById(id).orElseThrow(() -> notFound(id));
            if (api.isAdminApi()) {
                throw Problem.conflict("the management API " + Api.ADMIN_IDENTIFIER + " cannot be removed");
            }
            tx.apis().delete(id); // its grants go with it (ON DELETE CASCADE)
            ctx.audit().record(tx, caller.clientId(), "api.deleted", id, AdminViews.api(api), null);
            return api;
        });
        res.status(204).send();
    }

    private static java.util.Optional<List<ApiScope>> scopes(JsonBody body) {
        return body.optionalArray("scopes").map(array -> {
            List<ApiScope> scopes = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode entry = array.get(i);
                String path = "scopes[" + i + "]";
                ApiScope scope;
                if (entry.isTextual()) {
                    scope = new ApiScope(scopeValue(entry.textValue(), path), "");
                } else if (entry.isObject()) {
                    String value = JsonBody.optionalString(entry, "value", path + ".value", 128)
                            .orElseThrow(() -> Problem.badField(path + ".value", "is required"));
                    String description = JsonBody.optionalString(entry, "description", path + ".description", 500).orElse("");
                    scope = new ApiScope(scopeValue(value, path + ".value"), description);
                } else {
                    throw Problem.badField(path, "must be a scope name or an object {value, description}");
                }
                if (!seen.add(scope.value())) throw Problem.badField(path, "repeats scope " + scope.value());
                scopes.add(scope);
            }
            return scopes;
        });
    }

    private static String scopeValue(String value, String path) {
        if (value.length() > 128) throw Problem.badField(path, "must be at most 128 characters");
        if (!Text.isScopeToken(value)) {
            throw Problem.badField(path, "must be a scope token: printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)");
        }
        return value;
    }

    /** The server's default; its ring exists before an API relies on it. */
    private String defaultAlg(AdminCaller caller) {
        String alg = ctx.keys().policy().defaultAlg();
        ctx.rotation().ensureRing(caller.clientId(), alg);
        return alg;
    }

    private java.util.Optional<String> signingAlg(JsonBody body, AdminCaller caller) {
        return body.optionalString("signing_alg", 16).map(alg -> {
            if (!ctx.keys().algorithms().contains(alg)) {
                throw Problem.badField("signing_alg", "must be one of " + ctx.keys().algorithms());
            }
            ctx.rotation().ensureRing(caller.clientId(), alg); // before the API can ask for tokens of it
            return alg;
        });
    }

    private static Optional<TokenProfile> tokenProfile(JsonBody body) {
        return body.optionalString("token_profile", 16).map(value -> TokenProfile.parse(value)
                .orElseThrow(() -> Problem.badField("token_profile", "must be rfc9068 (typ at+jwt) or jwt (typ JWT)")));
    }

    private static Problem notFound(String id) {
        return Problem.notFound("no API with id " + Text.printable(id));
    }
}
