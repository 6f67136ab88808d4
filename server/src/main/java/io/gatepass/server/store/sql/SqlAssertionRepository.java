package io.gatepass.server.store.sql;

import io.gatepass.server.store.AssertionRepository;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class SqlAssertionRepository implements AssertionRepository {
    private final Handle handle;

    SqlAssertionRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insertAll(List<UsedAssertion> uses) {
        if (uses.isEmpty()) return;
        // ON CONFLICT DO NOTHING: SQLite 3.24+ and PostgreSQL 9.5+ alike
        PreparedBatch batch = handle.prepareBatch("INSERT INTO assertion_jtis (client_id, jti, expires_at) "
                + "VALUES (:client, :jti, :expires) ON CONFLICT DO NOTHING");
        for (UsedAssertion use : uses) {
            batch.bind("client", use.clientId()).bind("jti", use.jti()).bind("expires", use.expiresAt().toEpochMilli()).add();
        }
        batch.execute();
    }

    @Override
    public boolean insertIfAbsent(UsedAssertion use) {
        return handle.createUpdate("INSERT INTO assertion_jtis (client_id, jti, expires_at) VALUES (:client, :jti, :expires) "
                        + "ON CONFLICT DO NOTHING")
                .bind("client", use.clientId()).bind("jti", use.jti()).bind("expires", use.expiresAt().toEpochMilli())
                .execute() == 1;
    }

    @Override
    public boolean isStored(String clientId, String jti, Instant now) {
        return handle.createQuery("SELECT 1 FROM assertion_jtis WHERE client_id = :client AND jti = :jti AND expires_at > :now")
                .bind("client", clientId).bind("jti", jti).bind("now", now.toEpochMilli())
                .mapTo(Integer.class).findOne().isPresent();
    }

    @Override
    public List<UsedAssertion> listUnexpired(Instant now) {
        return handle.createQuery("SELECT client_id, jti, expires_at FROM assertion_jtis WHERE expires_at > :now")
                .bind("now", now.toEpochMilli())
                .map((rs, ctx) -> new UsedAssertion(rs.getString("client_id"), rs.getString("jti"),
                        Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .list();
    }

    @Override
    public int deleteExpired(Instant now) {
        return handle.createUpdate("DELETE FROM assertion_jtis WHERE expires_at <= :now").bind("now", now.toEpochMilli()).execute();
    }
}
