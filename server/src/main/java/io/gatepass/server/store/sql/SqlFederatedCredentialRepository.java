package io.gatepass.server.store.sql;

import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.store.Change;
import io.gatepass.server.store.FederatedCredentialRepository;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

final class SqlFederatedCredentialRepository implements FederatedCredentialRepository {
    private final Handle handle;
    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlFederatedCredentialRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(FederatedCredential credential) {
        changed.accept(new Change.Client(credential.clientId()));
        handle.createUpdate("INSERT INTO federated_credentials (id, client_id, issuer_id, subject, claims, created_at) "
                        + "VALUES (:id, :client, :issuer, :subject, :claims, :created)")
                .bind("id", credential.id())
                .bind("client", credential.clientId())
                .bind("issuer", credential.issuerId())
                .bind("subject", credential.subject())
                .bind("claims", credential.claims())
                .bind("created", credential.createdAt().toEpochMilli())
                .execute();
    }

    @Override
    public boolean delete(String clientId, String id) {
        changed.accept(new Change.Client(clientId));
        return handle.createUpdate("DELETE FROM federated_credentials WHERE client_id = :client AND id = :id")
                .bind("client", clientId).bind("id", id).execute() > 0;
    }

    @Override
    public List<String> clientsOfIssuer(String issuerId) {
        return handle.createQuery("SELECT DISTINCT client_id FROM federated_credentials WHERE issuer_id = :issuer ORDER BY client_id")
                .bind("issuer", issuerId).mapTo(String.class).list();
    }

    @Override
    public List<FederatedCredential> listForClient(String clientId) {
        return handle.createQuery("SELECT id, client_id, issuer_id, subject, claims, created_at FROM federated_credentials "
                        + "WHERE client_id = :client ORDER BY created_at, id")
                .bind("client", clientId)
                .map((rs, ctx) -> new FederatedCredential(rs.getString("id"), rs.getString("client_id"), rs.getString("issuer_id"),
                        rs.getString("subject"), rs.getString("claims"), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list();
    }
}
