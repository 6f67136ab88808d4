package io.gatepass.server.manage;

import io.gatepass.server.audit.Actor;
import io.gatepass.server.domain.AdminScopes;

import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.domain.TokenProfile;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * First start on an empty store: registers the management API {@code urn:gatepass:admin} and the app
 * {@code gatepass-admin} granted every management scope, in one transaction.
 */
public final class AdminBootstrap {
    private static final Actor SYSTEM = Actor.SYSTEM;

    /** What the first start created; the secret is present only when the server generated it. */
    public record Result(String clientId, Optional<String> generatedSecret) {
        @Override
        public String toString() {
            return "Result[clientId=" + clientId + "]";
        }
    }

    private AdminBootstrap() {
    }

    /** @return what was created, or empty when the store was already set up */
    public static Optional<Result> run(Store store, AuditTrail audit, Clock clock, String configuredSecret) {
        return store.inTransaction(tx -> {
            if (tx.apis().findByIdentifier(Api.ADMIN_IDENTIFIER).isPresent()) return Optional.empty();
            Instant now = clock.instant();
            Api api = new Api("api_" + ClientSecrets.randomId(20), Api.ADMIN_IDENTIFIER, "Gatepass management API",
                    AdminScopes.ALL, ApiService.DEFAULT_TOKEN_LIFETIME, ApiService.DEFAULT_SIGNING_ALG, TokenProfile.RFC9068, now, now);
            tx.apis().insert(api);
            audit.record(tx, SYSTEM, "api.created", api.id(), null, AdminViews.api(api));

            Client admin = new Client(Client.ADMIN_CLIENT_ID, "Gatepass admin", ClientAuthMethod.CLIENT_SECRET_BASIC,
                    ClientStatus.ACTIVE, null, now, now);
            tx.clients().insert(admin);
            String secret = configuredSecret != null ? configuredSecret : ClientSecrets.generate();
            tx.secrets().insert(AppService.newSecret(admin.clientId(), secret, now).stored());
            audit.record(tx, SYSTEM, "client.created", admin.clientId(), null, AdminViews.client(admin));

            Grant grant = new Grant(admin.clientId(), api.id(),
                    AdminScopes.ALL.stream().map(ApiScope::value).collect(Collectors.toSet()), now, now);
            tx.grants().upsert(grant);
            audit.record(tx, SYSTEM, "grant.created", admin.clientId(), null, AdminViews.grant(grant, api));
            return Optional.of(new Result(admin.clientId(),
                    configuredSecret != null ? Optional.empty() : Optional.of(secret)));
        });
    }
}
