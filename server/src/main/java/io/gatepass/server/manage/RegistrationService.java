package io.gatepass.server.manage;

import io.gatepass.server.audit.Actor;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientRegistration;
import io.gatepass.server.domain.InitialAccessToken;
import io.gatepass.server.store.RegistryCache.SecretDigest;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.StoreTransaction;
import io.gatepass.server.web.Problem;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Apps that register themselves (RFC 7591) and then manage their own registration (RFC 7592). A registered app is
 * checked, stored, audited and cached exactly as one an admin makes: this service hands its work to
 * {@link AppService} and {@link GrantService}, in one transaction with the registration's own rows.
 *
 * <p>An app registered with an initial access token gets exactly the grants the token carries (as far as their
 * APIs and scopes still exist); one registered with a management token gets none.
 */
public record RegistrationService(Store store, AppService apps, GrantService grants, Clock clock) {
    public static final String TOKEN_PREFIX = "gpr_";

    /** What authorised a registration. */
    public sealed interface Registrant {
        /** As recorded in the app's {@code registered_via}. */
        String via();

        /** As recorded in the audit log. */
        Actor actor();
    }

    /** A management token carrying {@code clients:write}. */
    public record ByManagementToken(AdminCaller caller) implements Registrant {
        public String via() {
            return "management_token:" + caller.clientId();
        }

        public Actor actor() {
            return caller.actor();
        }
    }

    /** An initial access token an admin made. */
    public record ByInitialToken(InitialAccessToken token) implements Registrant {
        public String via() {
            return "initial_access_token:" + token.id();
        }

        public Actor actor() {
            return Actor.of(token.id());
        }
    }

    /**
     * The client metadata Gatepass acts on, and the rest as a JSON object it keeps.
     *
     * @param clientSecret on an update, the secret the app sent back, which must be its own (RFC 7592 §2.2), or {@code null}
     */
    public record Metadata(String name, ClientAuthMethod method, AppKeys keys, String extras, String clientSecret,
                           Client.SenderConstraints constraints) {
    }

    /**
     * An app with its registration; {@code secret} and {@code registrationToken} only when they were just made, the
     * one time their values exist.
     */
    public record Registration(Client client, ClientRegistration registration, AppService.NewSecret secret,
                               String registrationToken) {
    }

    /** The initial access token whose value was presented, if it exists; whether it may still be used is checked on use. */
    public Optional<InitialAccessToken> initialToken(String presented) {
        return store.read(tx -> tx.initialAccessTokens().findByDigest(ClientSecrets.digest(presented)));
    }

    public Registration register(Registrant who, Metadata metadata) {
        if (who instanceof ByInitialToken initial && !initial.token().allows(metadata.method())) {
            throw Problem.badField("token_endpoint_auth_method", "this initial access token allows only "
                    + initial.token().allowedAuthMethods().stream().map(ClientAuthMethod::value).sorted().toList());
        }
        AppService.Registered app = apps.prepare(new AppService.NewApp(metadata.name(), metadata.method(), null,
                metadata.keys(), null, false, null, false, who.via(), null, metadata.constraints()));
        String token = TOKEN_PREFIX + ClientSecrets.randomId(40);
        Instant now = clock.instant();
        String clientId = app.client().clientId();
        ClientRegistration registration = new ClientRegistration(clientId, ClientSecrets.digest(token), metadata.extras(), now);
        store.inTransaction(tx -> {
            if (who instanceof ByInitialToken initial && !tx.initialAccessTokens().consume(initial.token().id(), now)) {
                throw Problem.unauthorized("the initial access token has expired or has no uses left");
            }
            apps.insert(tx, who.actor(), app);
            tx.registrations().insert(registration);
            if (who instanceof ByInitialToken initial) grantTemplates(tx, who.actor(), clientId, initial.token());
            return null;
        });
        return new Registration(app.client(), registration, app.secret(), token);
    }

    /** RFC 7592 §2.1. */
    public Registration read(String clientId, String presentedToken) {
        return store.read(tx -> {
            Client client = authorized(tx, clientId, presentedToken);
            return new Registration(client, tx.registrations().find(clientId).orElseThrow(), null, null);
        });
    }

    /**
     * RFC 7592 §2.2: the metadata replaces what was registered; the registration access token is rotated. An app
     * keeps its kind of credential: a secret app cannot become a key app or the other way round (it registers anew).
     */
    public Registration update(String clientId, String presentedToken, Metadata metadata) {
        AppService.AppChange change = apps.checked(new AppService.AppChange(Patch.to(metadata.name()), Patch.to(metadata.method()),
                Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), metadata.keys(),
                Patch.keep(), Patch.to(metadata.constraints().dpopBound()), Patch.to(metadata.constraints().certificateBound()),
                Patch.to(metadata.constraints().tlsIdentity())));
        String token = TOKEN_PREFIX + ClientSecrets.randomId(40);
        return store.inTransaction(tx -> {
            Client before = authorized(tx, clientId, presentedToken);
            if (before.authMethod().usesSecret() != metadata.method().usesSecret()) {
                throw Problem.badField("token_endpoint_auth_method", "cannot change between a secret method and "
                        + "private_key_jwt; register a new app instead");
            }
            if (metadata.clientSecret() != null && !isOwnSecret(tx, clientId, metadata.clientSecret())) {
                throw Problem.badField("client_secret", "is not this app's secret");
            }
            Client after = apps.apply(tx, Actor.of(clientId), before, change);
            ClientRegistration registration = new ClientRegistration(clientId, ClientSecrets.digest(token), metadata.extras(),
                    clock.instant());
            tx.registrations().update(registration);
            return new Registration(after, registration, null, token);
        });
    }

    /** RFC 7592 §2.3: the app is gone, and its tokens stop working, as when an admin removes it. */
    public void remove(String clientId, String presentedToken) {
        store.inTransaction(tx -> {
            apps.delete(tx, Actor.of(clientId), authorized(tx, clientId, presentedToken));
            return null;
        });
    }

    /** The app, when {@code presented} is its registration access token; the same 401 for any other case. */
    private static Client authorized(StoreTransaction tx, String clientId, String presented) {
        Optional<ClientRegistration> registration = tx.registrations().find(clientId);
        byte[] candidate = ClientSecrets.digest(presented);
        if (registration.isEmpty() || !MessageDigest.isEqual(candidate, registration.get().tokenDigest())) {
            throw Problem.unauthorized("the registration access token is not valid for this client");
        }
        return tx.clients().find(clientId)
                .orElseThrow(() -> Problem.unauthorized("the registration access token is not valid for this client"));
    }

    private static boolean isOwnSecret(StoreTransaction tx, String clientId, String presented) {
        List<SecretDigest> secrets = tx.secrets().listForClient(clientId).stream()
                .map(s -> new SecretDigest(s.id(), s.digest())).toList();
        return ClientSecrets.matching(presented, secrets) != null;
    }

    /** The token's grants, as far as their APIs and scopes still exist. */
    private void grantTemplates(StoreTransaction tx, Actor actor, String clientId, InitialAccessToken token) {
        for (InitialAccessToken.GrantTemplate template : token.grants()) {
            Optional<Api> api = tx.apis().findById(template.apiId());
            if (api.isEmpty()) continue;
            Set<String> scopes = new LinkedHashSet<>();
            for (String scope : template.scopes()) if (api.get().definesScope(scope)) scopes.add(scope);
            grants.grant(tx, actor, clientId, api.get(), scopes, null);
        }
    }
}
