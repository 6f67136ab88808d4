package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import java.util.function.Consumer;
import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.store.SecretRepository;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

final class SqlSecretRepository implements SecretRepository {
    private static final HexFormat HEX = HexFormat.of();

    private final Handle handle;

    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlSecretRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(ClientSecret secret) {
        changed.accept(new Change.Client(secret.clientId()));
        handle.createUpdate("INSERT INTO client_secrets (id, client_id, digest, created_at) "
                        + "VALUES (:id, :client, :digest, :created)")
                .bind("id", secret.id())
                .bind("client", secret.clientId())
                .bind("digest", HEX.formatHex(secret.digest()))
                .bind("created", secret.createdAt().toEpochMilli())
                .execute();
    }

    @Override
    public boolean delete(String clientId, String secretId) {
        changed.accept(new Change.Client(clientId));
        return handle.createUpdate("DELETE FROM client_secrets WHERE client_id = :client AND id = :id")
                .bind("client", clientId)
                .bind("id", secretId)
                .execute() > 0;
    }

    @Override
    public void recordUse(Map<String, Instant> lastUseById) {
        SqlTimes.touch(handle, "client_secrets", "id", lastUseById);
    }

    @Override
    public List<ClientSecret> listForClient(String clientId) {
        return handle.createQuery("SELECT id, client_id, digest, created_at, last_used_at FROM client_secrets "
                        + "WHERE client_id = :client ORDER BY created_at, id")
                .bind("client", clientId)
                .map((rs, ctx) -> new ClientSecret(rs.getString("id"), rs.getString("client_id"),
                        HEX.parseHex(rs.getString("digest")), Instant.ofEpochMilli(rs.getLong("created_at")),
                        SqlTimes.nullableInstant(rs, "last_used_at")))
                .list();
    }
}
