package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;

import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.Revocation;
import io.gatepass.server.web.Problem;
import io.gatepass.server.codec.Text;
import io.gatepass.server.oauth.ClientSecrets;
import io.gatepass.server.store.StoreTransaction;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/clients}: register, list, read, change (block, unblock) and remove M2M apps. */
public final class ClientsEndpoint {
    static final int MIN_TOKEN_LIFETIME = 60;
    static final int MAX_TOKEN_LIFETIME = 86_400;
    /** A token may carry an iat a second ahead (see AccessTokenMinter); keep revocations a little longer. */
    private static final int REVOCATION_MARGIN_SECONDS = 60;
    /** Tokens per minute an app may be given as its own budget. */
    static final int MAX_TOKEN_RATE_LIMIT = 1_000_000;
    private static final Set<String> CREATE_FIELDS = Set.of("client_name", "token_endpoint_auth_method", "token_lifetime",
            "jwks", "jwks_uri", "token_rate_limit", "reuse_tokens", "default_audience", "allow_private_network");
    private static final Set<String> UPDATE_FIELDS = Set.of("client_name", "token_endpoint_auth_method", "token_lifetime",
            "status", "jwks", "jwks_uri", "token_rate_limit", "reuse_tokens", "default_audience",
            "allow_private_network");

    private final AdminContext ctx;

    public ClientsEndpoint(AdminContext context) {
        this.ctx = context;
    }

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, ctx.json(), CREATE_FIELDS);
        Instant now = ctx.clock().instant();
        String name = body.requiredString("client_name", 255);
        ClientAuthMethod method = authMethod(body).orElse(ClientAuthMethod.CLIENT_SECRET_BASIC);
        Integer lifetime = body.optionalInt("token_lifetime", MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME).orElse(null);
        boolean allowPrivateNetwork = body.optionalBoolean("allow_private_network").orElse(false);
        ClientKeysInput keys = ClientKeysInput.read(body, ctx.json(), ctx.development()).settle(method, null)
                .addressCheck(ctx.development(), allowPrivateNetwork);
        Integer rateLimit = body.optionalInt("token_rate_limit", 1, MAX_TOKEN_RATE_LIMIT).orElse(null);
        boolean reuseTokens = body.optionalBoolean("reuse_tokens").orElse(false);
        String defaultAudience = defaultAudience(body).orElse(null);
        Client client = new Client(ClientSecrets.randomId(32), name, method, ClientStatus.ACTIVE, lifetime, now, now,
                null, keys.jwks(), keys.jwksUri(), rateLimit, reuseTokens, defaultAudience, allowPrivateNetwork);
        // a private_key_jwt app proves itself with its own key: it gets no secret at all
        String secret = method.usesSecret() ? ClientSecrets.generate() : null;
        ClientSecret stored = secret == null ? null : newSecret(client.clientId(), secret, now);
        ctx.store().inTransaction(tx -> {
            tx.clients().insert(client);
            if (stored != null) tx.secrets().insert(stored);
            ctx.audit().record(tx, caller.clientId(), "client.created", client.clientId(), null, AdminViews.client(client));
            return null;
        });
        Map<String, Object> view = AdminViews.client(client);
        if (stored != null) {
            view.put("client_secret", secret); // RFC 7591 §3.2.1; shown this once, never again
            view.put("client_secret_id", stored.id());
            view.put("client_secret_expires_at", 0);
        }
        res.header("Location", "/admin/clients/" + client.clientId());
        ctx.responses().sendNoStore(res, 201, view);
    }

    public void list(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.CLIENTS_READ);
        Paging paging = Paging.from(req);
        List<Client> clients = ctx.store().read(tx -> tx.clients().list(paging.limit(), paging.offset()));
        ctx.responses().send(res, 200, clients.stream().map(AdminViews::client).toList());
    }

    public void get(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.CLIENTS_READ);
        String clientId = req.path().pathParameters().get("client_id");
        Client client = ctx.store().read(tx -> find(tx, clientId));
        ctx.responses().send(res, 200, AdminViews.client(client));
    }

    public void update(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        JsonBody body = JsonBody.read(req, ctx.json(), UPDATE_FIELDS);
        Optional<String> name = body.optionalString("client_name", 255);
        Optional<ClientAuthMethod> method = authMethod(body);
        Optional<ClientStatus> status = body.optionalString("status", 16).map(value -> ClientStatus.parse(value)
                .orElseThrow(() -> Problem.badField("status", "must be active or blocked")));
        Optional<Integer> lifetime = body.optionalInt("token_lifetime", MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME);
        // "token_lifetime": null removes the app's own cap
        boolean clearLifetime = body.present("token_lifetime") && lifetime.isEmpty();
        Optional<Integer> rateLimit = body.optionalInt("token_rate_limit", 1, MAX_TOKEN_RATE_LIMIT);
        // "token_rate_limit": null puts the app back on the server default
        boolean clearRateLimit = body.present("token_rate_limit") && rateLimit.isEmpty();
        Optional<Boolean> reuseTokens = body.optionalBoolean("reuse_tokens");
        Optional<String> defaultAudience = defaultAudience(body);
        Optional<Boolean> allowPrivateNetwork = body.optionalBoolean("allow_private_network");
        // "default_audience": null: a request that names no API must again be for the app's only grant
        boolean clearDefaultAudience = body.present("default_audience") && defaultAudience.isEmpty();
        ClientKeysInput keys = ClientKeysInput.read(body, ctx.json(), ctx.development());
        if (status.orElse(ClientStatus.ACTIVE) == ClientStatus.BLOCKED && clientId.equals(caller.clientId())) {
            throw Problem.conflict("an app cannot block itself; use another admin app");
        }
        Client updated = ctx.store().inTransaction(tx -> {
            Client before = ctx.power().changeableApp(tx, caller, clientId, "client.updated");
            ClientAuthMethod newMethod = method.orElse(before.authMethod());
            boolean newAllowPrivate = allowPrivateNetwork.orElse(before.allowPrivateNetwork());
            ClientKeysInput settled = keys.settle(newMethod, before).addressCheck(ctx.development(), newAllowPrivate);
            Client after = new Client(before.clientId(), name.orElse(before.name()), newMethod,
                    status.orElse(before.status()), clearLifetime ? null : lifetime.orElse(before.tokenLifetime()),
                    before.createdAt(), ctx.clock().instant(), before.lastUsedAt(), settled.jwks(), settled.jwksUri(),
                    clearRateLimit ? null : rateLimit.orElse(before.tokenRateLimit()),
                    reuseTokens.orElse(before.reuseTokens()),
                    clearDefaultAudience ? null : defaultAudience.orElse(before.defaultAudience()), newAllowPrivate);
            tx.clients().update(after);
            boolean blocked = before.isActive() && !after.isActive();
            // blocking voids the tokens issued so far, so that unblocking later does not revive them
            if (blocked) voidTokens(tx, clientId, after.updatedAt());
            String type = before.status() != after.status()
                    ? (blocked ? "client.blocked" : "client.unblocked")
                    : "client.updated";
            ctx.audit().record(tx, caller.clientId(), type, clientId, AdminViews.client(before), AdminViews.client(after));
            return after;
        });
        ctx.responses().send(res, 200, AdminViews.client(updated));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        if (clientId.equals(caller.clientId())) throw Problem.conflict("an app cannot remove itself; use another admin app");
        ctx.store().inTransaction(tx -> {
            Client client = ctx.power().changeableApp(tx, caller, clientId, "client.deleted");
            tx.clients().delete(clientId); // secrets and grants go with it (ON DELETE CASCADE)
            // the app's tokens are inactive here as soon as it is gone; the feed tells resource servers too
            voidTokens(tx, clientId, ctx.clock().instant());
            ctx.audit().record(tx, caller.clientId(), "client.deleted", clientId, AdminViews.client(client), null);
            return null;
        });
        res.status(204).send();
    }

    /** {@code POST /admin/clients/{client_id}/revoke-tokens}: voids every token issued to the app until now. */
    public void revokeTokens(ServerRequest req, ServerResponse res) {
        AdminCaller caller = ctx.auth().require(req, AdminScopes.CLIENTS_WRITE);
        String clientId = req.path().pathParameters().get("client_id");
        ctx.store().inTransaction(tx -> {
            ctx.power().changeableApp(tx, caller, clientId, "client.tokens_revoked");
            Instant now = ctx.clock().instant();
            voidTokens(tx, clientId, now);
            ctx.audit().record(tx, caller.clientId(), "client.tokens_revoked", clientId, null,
                    Map.of("tokens_issued_before", AdminViews.time(now)));
            return null;
        });
        res.status(204).send();
    }

    /** Voids the app's tokens issued before {@code now}; kept until the longest possible token has expired. */
    private static void voidTokens(StoreTransaction tx, String clientId, Instant now) {
        Instant lastExpiry = now.plusSeconds(ApisEndpoint.MAX_TOKEN_LIFETIME + REVOCATION_MARGIN_SECONDS);
        tx.revocations().insert(Revocation.client(clientId, now, lastExpiry));
    }

    static Client find(StoreTransaction tx, String clientId) {
        return tx.clients().find(clientId)
                .orElseThrow(() -> Problem.notFound("no app with client_id " + Text.printable(clientId)));
    }

    static ClientSecret newSecret(String clientId, String secret, Instant now) {
        return new ClientSecret("sec_" + ClientSecrets.randomId(20), clientId, ClientSecrets.digest(secret), now);
    }

    /**
     * The identifier of a registered API (as Auth0's default audience). Whether the app is granted on it is asked
     * when it requests a token, so that it can be set before the grant.
     */
    private Optional<String> defaultAudience(JsonBody body) {
        return body.optionalString("default_audience", 255).map(identifier -> {
            if (ctx.registry().apiByIdentifier(identifier).isEmpty()) {
                throw Problem.badField("default_audience", "names no registered API; use an API identifier such as "
                        + "https://api.example.com");
            }
            return identifier;
        });
    }

    private static Optional<ClientAuthMethod> authMethod(JsonBody body) {
        return body.optionalString("token_endpoint_auth_method", 32).map(value -> ClientAuthMethod.parse(value)
                .orElseThrow(() -> Problem.badField("token_endpoint_auth_method", "must be one of "
                        + Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::value).toList())));
    }
}
