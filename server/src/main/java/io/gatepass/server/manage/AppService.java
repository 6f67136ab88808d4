package io.gatepass.server.manage;

import io.gatepass.server.audit.Actor;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.Revocation;
import io.gatepass.server.domain.TlsClientIdentity;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.StoreTransaction;
import io.gatepass.server.web.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Management changes to M2M apps and their secrets. Each call checks its input and the caller's power, writes in one
 * transaction with its audit record, and is announced to the caches by the store after it commits.
 * Refusals are {@link Problem}s naming the field when a field is wrong.
 */
public record AppService(Store store, RegistryCache registry, AuditTrail audit, ManagementPower power, Clock clock, boolean development) {
    /** Tokens per minute an app may be given as its own budget. */
    public static final int MAX_TOKEN_RATE_LIMIT = 1_000_000;
    /** Two, so that a new secret can be rolled out while the old one still works. */
    public static final int MAX_SECRETS = 2;
    /** A token may carry an iat a second ahead (see AccessTokenMinter); keep revocations a little longer. */
    private static final int REVOCATION_MARGIN_SECONDS = 60;

    /**
     * A new app; {@code null} leaves a field to the server default.
     *
     * @param registeredVia what it registered itself with ({@code /oauth/register}), {@code null} for an admin's app
     * @param claims        extra claims for its tokens, a JSON object as text, or {@code null}
     * @param constraints   the sender constraints on its tokens ({@code null}: none)
     */
    public record NewApp(String name, ClientAuthMethod method, Integer tokenLifetime, AppKeys keys, Integer tokenRateLimit,
                         boolean reuseTokens, String defaultAudience, boolean allowPrivateNetwork, String registeredVia,
                         String claims, Client.SenderConstraints constraints) {
    }

    /** A change to an app, field by field. */
    public record AppChange(Patch<String> name, Patch<ClientAuthMethod> method, Patch<ClientStatus> status,
                            Patch<Integer> tokenLifetime, Patch<Integer> tokenRateLimit, Patch<Boolean> reuseTokens,
                            Patch<String> defaultAudience, Patch<Boolean> allowPrivateNetwork, AppKeys keys,
                            Patch<String> claims, Patch<Boolean> dpopBound, Patch<Boolean> certificateBound,
                            Patch<TlsClientIdentity> tlsIdentity) {
    }

    /** A created app with its first secret, whose value exists only here (for secret methods). */
    public record Registered(Client client, NewSecret secret) {
    }

    /** A created secret: the value is shown this once and only its digest is stored. */
    public record NewSecret(ClientSecret stored, String value) {
    }

    public Registered register(AdminCaller caller, NewApp app) {
        Registered registered = prepare(app);
        store.inTransaction(tx -> {
            insert(tx, caller.actor(), registered);
            return null;
        });
        return registered;
    }

    /** The app and its first secret, checked and made, not yet stored. */
    Registered prepare(NewApp app) {
        Checks.within("token_lifetime", app.tokenLifetime(), ApiService.MIN_TOKEN_LIFETIME, ApiService.MAX_TOKEN_LIFETIME);
        Checks.within("token_rate_limit", app.tokenRateLimit(), 1, MAX_TOKEN_RATE_LIMIT);
        if (app.defaultAudience() != null) defaultAudienceCheck(app.defaultAudience());
        String claims = CustomClaims.checked("claims", app.claims());
        ClientAuthMethod method = app.method() == null ? ClientAuthMethod.CLIENT_SECRET_BASIC : app.method();
        AppKeys keys = app.keys().checked(development).settle(method, null).addressCheck(development, app.allowPrivateNetwork());
        Instant now = clock.instant();
        Client client = new Client(ClientSecrets.randomId(32), app.name(), method, ClientStatus.ACTIVE, app.tokenLifetime(),
                now, now, null, keys.jwks(), keys.jwksUri(), app.tokenRateLimit(), app.reuseTokens(),
                app.defaultAudience(), app.allowPrivateNetwork(), app.registeredVia(), claims,
                constraints(method, app.constraints() == null ? Client.SenderConstraints.NONE : app.constraints()));
        // a private_key_jwt app proves itself with its own key: it gets no secret at all
        NewSecret secret = method.usesSecret() ? newSecret(client.clientId(), now) : null;
        return new Registered(client, secret);
    }

    void insert(StoreTransaction tx, Actor actor, Registered registered) {
        Client client = registered.client();
        tx.clients().insert(client);
        if (registered.secret() != null) tx.secrets().insert(registered.secret().stored());
        audit.record(tx, actor, "client.created", client.clientId(), null, AdminViews.client(client));
    }

    public List<Client> list(int limit, int offset) {
        return store.read(tx -> tx.clients().list(limit, offset));
    }

    public Client find(String clientId) {
        return store.read(tx -> find(tx, clientId));
    }

    public Client change(AdminCaller caller, String clientId, AppChange change) {
        AppChange checked = checked(change);
        if (change.status().applyUnlessNull(ClientStatus.ACTIVE) == ClientStatus.BLOCKED && clientId.equals(caller.clientId())) {
            throw Problem.conflict("an app cannot block itself; use another admin app");
        }
        return store.inTransaction(tx -> apply(tx, caller.actor(), power.changeableApp(tx, caller, clientId, "client.updated"),
                checked));
    }

    /** The change with its values checked and its keys in their stored form. */
    AppChange checked(AppChange change) {
        Checks.within("token_lifetime", change.tokenLifetime().value(), ApiService.MIN_TOKEN_LIFETIME, ApiService.MAX_TOKEN_LIFETIME);
        Checks.within("token_rate_limit", change.tokenRateLimit().value(), 1, MAX_TOKEN_RATE_LIMIT);
        if (change.defaultAudience().value() != null) defaultAudienceCheck(change.defaultAudience().value());
        Patch<String> claims = change.claims().given()
                ? Patch.to(CustomClaims.checked("claims", change.claims().value())) : Patch.keep();
        return new AppChange(change.name(), change.method(), change.status(), change.tokenLifetime(), change.tokenRateLimit(),
                change.reuseTokens(), change.defaultAudience(), change.allowPrivateNetwork(), change.keys().checked(development),
                claims, change.dpopBound(), change.certificateBound(), change.tlsIdentity());
    }

    /** Writes a {@linkplain #checked checked} change to {@code before}, with its audit record. */
    Client apply(StoreTransaction tx, Actor actor, Client before, AppChange change) {
        ClientAuthMethod method = change.method().applyUnlessNull(before.authMethod());
        boolean allowPrivate = change.allowPrivateNetwork().applyUnlessNull(before.allowPrivateNetwork());
        AppKeys settled = change.keys().settle(method, before).addressCheck(development, allowPrivate);
        Client after = new Client(before.clientId(), change.name().applyUnlessNull(before.name()), method,
                change.status().applyUnlessNull(before.status()), change.tokenLifetime().applyTo(before.tokenLifetime()),
                before.createdAt(), clock.instant(), before.lastUsedAt(), settled.jwks(), settled.jwksUri(),
                change.tokenRateLimit().applyTo(before.tokenRateLimit()),
                change.reuseTokens().applyUnlessNull(before.reuseTokens()),
                change.defaultAudience().applyTo(before.defaultAudience()), allowPrivate, before.registeredVia(),
                change.claims().applyTo(before.claims()), constraints(method, new Client.SenderConstraints(
                        change.dpopBound().applyUnlessNull(before.constraints().dpopBound()),
                        change.certificateBound().applyUnlessNull(before.constraints().certificateBound()),
                        change.tlsIdentity().given() || method != before.authMethod()
                                ? change.tlsIdentity().value() : before.constraints().tlsIdentity())));
        tx.clients().update(after);
        boolean blocked = before.isActive() && !after.isActive();
        // blocking voids the tokens issued so far, so that unblocking later does not revive them
        if (blocked) voidTokens(tx, before.clientId(), after.updatedAt());
        String type = before.status() != after.status()
                ? (blocked ? "client.blocked" : "client.unblocked")
                : "client.updated";
        audit.record(tx, actor, type, before.clientId(), AdminViews.client(before), AdminViews.client(after));
        return after;
    }

    /**
     * RFC 8705 §2.1.2: a {@code tls_client_auth} app is known by exactly one certificate field; no other app has one.
     * RFC 8705 §3: a certificate-bound token needs the certificate of a mutual-TLS request.
     */
    private static Client.SenderConstraints constraints(ClientAuthMethod method, Client.SenderConstraints constraints) {
        boolean tls = method == ClientAuthMethod.TLS_CLIENT_AUTH;
        if (tls && constraints.tlsIdentity() == null) {
            throw Problem.badField("tls_client_auth_subject_dn", "a tls_client_auth app needs one of tls_client_auth_subject_dn, "
                    + "tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip or tls_client_auth_san_email");
        }
        if (!tls && constraints.tlsIdentity() != null) {
            throw Problem.badField(constraints.tlsIdentity().field().metadataName(), "is only for tls_client_auth apps");
        }
        if (tls) TlsIdentities.check(constraints.tlsIdentity());
        return constraints;
    }

    public void remove(AdminCaller caller, String clientId) {
        if (clientId.equals(caller.clientId())) throw Problem.conflict("an app cannot remove itself; use another admin app");
        store.inTransaction(tx -> {
            delete(tx, caller.actor(), power.changeableApp(tx, caller, clientId, "client.deleted"));
            return null;
        });
    }

    /** Removes the app, its secrets and grants; its tokens are inactive here at once, and the feed tells APIs. */
    void delete(StoreTransaction tx, Actor actor, Client client) {
        tx.clients().delete(client.clientId()); // secrets, grants and registration go with it (ON DELETE CASCADE)
        voidTokens(tx, client.clientId(), clock.instant());
        audit.record(tx, actor, "client.deleted", client.clientId(), AdminViews.client(client), null);
    }

    /** Voids every token issued to the app until now. */
    public void revokeTokens(AdminCaller caller, String clientId) {
        store.inTransaction(tx -> {
            power.changeableApp(tx, caller, clientId, "client.tokens_revoked");
            Instant now = clock.instant();
            voidTokens(tx, clientId, now);
            audit.record(tx, caller.actor(), "client.tokens_revoked", clientId, null,
                    Map.of("tokens_issued_before", AdminViews.time(now)));
            return null;
        });
    }

    /** A new secret beside the app's current one (rotation with overlap). */
    public NewSecret createSecret(AdminCaller caller, String clientId) {
        NewSecret secret = newSecret(clientId, clock.instant());
        store.inTransaction(tx -> {
            if (!power.changeableApp(tx, caller, clientId, "client.secret.created").authMethod().usesSecret()) {
                throw Problem.conflict("this app authenticates with its own key or its platform's token and has no secrets");
            }
            if (tx.secrets().listForClient(clientId).size() >= MAX_SECRETS) {
                throw Problem.conflict("an app has at most " + MAX_SECRETS + " secrets; delete the older one first");
            }
            tx.secrets().insert(secret.stored());
            audit.record(tx, caller.actor(), "client.secret.created", clientId, null, AdminViews.secret(secret.stored()));
            return null;
        });
        return secret;
    }

    public List<ClientSecret> secrets(String clientId) {
        return store.read(tx -> {
            find(tx, clientId);
            return tx.secrets().listForClient(clientId);
        });
    }

    public void removeSecret(AdminCaller caller, String clientId, String secretId) {
        store.inTransaction(tx -> {
            power.changeableApp(tx, caller, clientId, "client.secret.deleted");
            List<ClientSecret> secrets = tx.secrets().listForClient(clientId);
            ClientSecret secret = secrets.stream().filter(s -> s.id().equals(secretId)).findFirst()
                    .orElseThrow(() -> Problem.notFound("app " + clientId + " has no secret " + Text.printable(secretId)));
            if (secrets.size() == 1) {
                throw Problem.conflict("this is the app's only secret; create a new one first, or block the app");
            }
            tx.secrets().delete(clientId, secretId);
            audit.record(tx, caller.actor(), "client.secret.deleted", clientId, AdminViews.secret(secret), null);
            return null;
        });
    }

    /** Voids the app's tokens issued before {@code now}; kept until the longest possible token has expired. */
    private static void voidTokens(StoreTransaction tx, String clientId, Instant now) {
        Instant lastExpiry = now.plusSeconds(ApiService.MAX_TOKEN_LIFETIME + REVOCATION_MARGIN_SECONDS);
        tx.revocations().insert(Revocation.client(clientId, now, lastExpiry));
    }

    static Client find(StoreTransaction tx, String clientId) {
        return tx.clients().find(clientId)
                .orElseThrow(() -> Problem.notFound("no app with client_id " + Text.printable(clientId)));
    }

    static NewSecret newSecret(String clientId, Instant now) {
        return newSecret(clientId, ClientSecrets.generate(), now);
    }

    static NewSecret newSecret(String clientId, String value, Instant now) {
        return new NewSecret(new ClientSecret("sec_" + ClientSecrets.randomId(20), clientId, ClientSecrets.digest(value), now), value);
    }

    /**
     * The identifier of a registered API (as Auth0's default audience). Whether the app is granted on it is asked
     * when it requests a token, so that it can be set before the grant.
     */
    private void defaultAudienceCheck(String identifier) {
        if (registry.apiByIdentifier(identifier).isEmpty()) {
            throw Problem.badField("default_audience", "names no registered API; use an API identifier such as "
                    + "https://api.example.com");
        }
    }
}
