package io.gatepass.server.store.sql;

import io.gatepass.server.domain.SigningKey;
import io.gatepass.server.store.Change;
import io.gatepass.server.store.KeyRepository;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

final class SqlKeyRepository implements KeyRepository {
    private final Handle handle;
    private final Consumer<Change> changed;

    SqlKeyRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(SigningKey key) {
        handle.createUpdate("INSERT INTO signing_keys (kid, alg, private_jwk, created_at, activates_at) "
                        + "VALUES (:kid, :alg, :jwk, :created, :activates)")
                .bind("kid", key.kid())
                .bind("alg", key.alg())
                .bind("jwk", key.privateJwk())
                .bind("created", key.createdAt().toEpochMilli())
                .bind("activates", key.activatesAt().toEpochMilli())
                .execute();
        changed.accept(new Change.Keys());
    }

    @Override
    public List<SigningKey> list() {
        return handle.createQuery("SELECT kid, alg, private_jwk, created_at, activates_at FROM signing_keys "
                        + "ORDER BY created_at, kid")
                .map((rs, ctx) -> new SigningKey(rs.getString("kid"), rs.getString("alg"), rs.getString("private_jwk"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("activates_at"))))
                .list();
    }

    @Override
    public void replacePrivateJwk(String kid, String privateJwk) {
        handle.createUpdate("UPDATE signing_keys SET private_jwk = :jwk WHERE kid = :kid")
                .bind("kid", kid).bind("jwk", privateJwk).execute();
    }

    @Override
    public boolean delete(String kid) {
        boolean deleted = handle.createUpdate("DELETE FROM signing_keys WHERE kid = :kid").bind("kid", kid).execute() > 0;
        if (deleted) changed.accept(new Change.Keys());
        return deleted;
    }
}
