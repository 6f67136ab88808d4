package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import java.util.function.Consumer;
import io.gatepass.server.domain.Revocation;
import io.gatepass.server.store.RevocationRepository;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

final class SqlRevocationRepository implements RevocationRepository {
    private final Handle handle;

    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlRevocationRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(Revocation revocation) {
        changed.accept(new Change.Revocations());
        if (revocation.kind() == Revocation.Kind.TOKEN) {
            boolean known = handle.createQuery("SELECT COUNT(*) FROM revocations WHERE jti = :jti")
                    .bind("jti", revocation.jti()).mapTo(Integer.class).one() > 0;
            if (known) return;
        }
        handle.createUpdate("INSERT INTO revocations (kind, client_id, jti, revoked_at, expires_at) "
                        + "VALUES (:kind, :client, :jti, :revoked, :expires)")
                .bind("kind", revocation.kind().value())
                .bind("client", revocation.clientId())
                .bind("jti", revocation.jti())
                .bind("revoked", revocation.revokedAt().toEpochMilli())
                .bind("expires", revocation.expiresAt().toEpochMilli())
                .execute();
    }

    @Override
    public List<Revocation> listAfter(long afterId, int limit) {
        return handle.createQuery("SELECT id, kind, client_id, jti, revoked_at, expires_at FROM revocations "
                        + "WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Revocation(rs.getLong("id"), Revocation.Kind.parse(rs.getString("kind")),
                        rs.getString("client_id"), rs.getString("jti"), Instant.ofEpochMilli(rs.getLong("revoked_at")),
                        Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .list();
    }

    @Override
    public int deleteExpired(Instant now) {
        return handle.createUpdate("DELETE FROM revocations WHERE expires_at < :now")
                .bind("now", now.toEpochMilli())
                .execute();
    }
}
