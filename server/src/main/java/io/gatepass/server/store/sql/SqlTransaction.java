package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import java.util.LinkedHashSet;
import java.util.Set;
import io.gatepass.server.store.ApiRepository;
import io.gatepass.server.store.AssertionRepository;
import io.gatepass.server.store.AuditRepository;
import io.gatepass.server.store.ClientRepository;
import io.gatepass.server.store.GrantRepository;
import io.gatepass.server.store.InitialAccessTokenRepository;
import io.gatepass.server.store.FederatedCredentialRepository;
import io.gatepass.server.store.KeyRepository;
import io.gatepass.server.store.TrustedIssuerRepository;
import io.gatepass.server.store.RegistrationRepository;
import io.gatepass.server.store.RevocationRepository;
import io.gatepass.server.store.SecretRepository;
import io.gatepass.server.store.StoreTransaction;
import org.jdbi.v3.core.Handle;

/** The repositories of one JDBI handle, all in the handle's transaction. */
final class SqlTransaction implements StoreTransaction {
    private final Handle handle;
    private final boolean postgres;
    private final Set<Change> changes = new LinkedHashSet<>();

    SqlTransaction(Handle handle, boolean postgres) {
        this.handle = handle;
        this.postgres = postgres;
    }

    /** What the writes in this transaction changed, each once, in order. */
    Set<Change> changes() {
        return changes;
    }

    @Override
    public void lock(String name) {
        if (postgres) {
            handle.createQuery("SELECT pg_advisory_xact_lock(hashtext(:name))").bind("name", "gatepass:" + name)
                    .mapTo(String.class).one();
        }
    }

    @Override
    public ApiRepository apis() {
        return new SqlApiRepository(handle, changes::add);
    }

    @Override
    public ClientRepository clients() {
        return new SqlClientRepository(handle, changes::add);
    }

    @Override
    public SecretRepository secrets() {
        return new SqlSecretRepository(handle, changes::add);
    }

    @Override
    public GrantRepository grants() {
        return new SqlGrantRepository(handle, changes::add);
    }

    @Override
    public InitialAccessTokenRepository initialAccessTokens() {
        return new SqlInitialAccessTokenRepository(handle);
    }

    @Override
    public io.gatepass.server.store.ConsoleSessionRepository consoleSessions() {
        return new SqlConsoleSessionRepository(handle);
    }

    @Override
    public RegistrationRepository registrations() {
        return new SqlRegistrationRepository(handle);
    }

    @Override
    public TrustedIssuerRepository trustedIssuers() {
        return new SqlTrustedIssuerRepository(handle, changes::add);
    }

    @Override
    public FederatedCredentialRepository federatedCredentials() {
        return new SqlFederatedCredentialRepository(handle, changes::add);
    }

    @Override
    public KeyRepository keys() {
        return new SqlKeyRepository(handle, changes::add);
    }

    @Override
    public AuditRepository audit() {
        return new SqlAuditRepository(handle);
    }

    @Override
    public RevocationRepository revocations() {
        return new SqlRevocationRepository(handle, changes::add);
    }

    @Override
    public AssertionRepository assertions() {
        return new SqlAssertionRepository(handle);
    }
}
