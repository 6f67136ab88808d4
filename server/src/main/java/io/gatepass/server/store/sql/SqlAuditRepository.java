package io.gatepass.server.store.sql;

import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.store.AuditRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

final class SqlAuditRepository implements AuditRepository {
    private static final String INSERT = "INSERT INTO audit_events (occurred_at, actor, type, target, details) "
            + "VALUES (:at, :actor, :type, :target, :details)";

    private final Handle handle;

    SqlAuditRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void append(AuditEvent event) {
        appendAll(List.of(event));
    }

    @Override
    public List<MinuteCount> countPerMinute(String type, Instant since) {
        // integer division in both dialects; the (type, occurred_at) index covers the range
        return handle.createQuery("SELECT occurred_at / 60000 AS minute, actor, COUNT(*) AS n FROM audit_events "
                        + "WHERE type = :type AND occurred_at >= :since GROUP BY occurred_at / 60000, actor")
                .bind("type", type)
                .bind("since", since.toEpochMilli())
                .map((rs, ctx) -> new MinuteCount(rs.getLong("minute"), rs.getString("actor"), rs.getLong("n")))
                .list();
    }

    @Override
    public void appendAll(List<AuditEvent> events) {
        if (events.isEmpty()) return;
        PreparedBatch batch = handle.prepareBatch(INSERT);
        for (AuditEvent event : events) {
            batch.bind("at", event.occurredAt().toEpochMilli())
                    .bind("actor", event.actor())
                    .bind("type", event.type())
                    .bind("target", event.target())
                    .bind("details", event.details())
                    .add();
        }
        batch.execute();
    }

    @Override
    public List<AuditEvent> after(Instant since, long afterId, int limit) {
        return handle.createQuery("SELECT id, occurred_at, actor, type, target, details FROM audit_events "
                        + "WHERE occurred_at >= :since AND id > :after ORDER BY id LIMIT :limit")
                .bind("since", since.toEpochMilli()).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> new AuditEvent(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("occurred_at")),
                        rs.getString("actor"), rs.getString("type"), rs.getString("target"), rs.getString("details")))
                .list();
    }

    @Override
    public java.util.OptionalLong claimStream(String name, String owner, Instant now, Instant leaseUntil) {
        // SQLite needs the WHERE to tell the upsert from a join (its documented parsing rule); PostgreSQL accepts it
        handle.createUpdate("INSERT INTO audit_streams (name, delivered_id, owner, lease_until) "
                        + "SELECT :name, COALESCE(MAX(id), 0), NULL, 0 FROM audit_events WHERE 1 = 1 "
                        + "ON CONFLICT (name) DO NOTHING")
                .bind("name", name).execute();
        int claimed = handle.createUpdate("UPDATE audit_streams SET owner = :owner, lease_until = :until "
                        + "WHERE name = :name AND (owner = :owner OR owner IS NULL OR lease_until < :now)")
                .bind("owner", owner).bind("until", leaseUntil.toEpochMilli()).bind("name", name)
                .bind("now", now.toEpochMilli()).execute();
        if (claimed == 0) return java.util.OptionalLong.empty();
        return java.util.OptionalLong.of(handle.createQuery("SELECT delivered_id FROM audit_streams WHERE name = :name")
                .bind("name", name).mapTo(Long.class).one());
    }

    @Override
    public boolean advanceStream(String name, String owner, long deliveredId) {
        return handle.createUpdate("UPDATE audit_streams SET delivered_id = :id "
                        + "WHERE name = :name AND owner = :owner AND delivered_id < :id")
                .bind("id", deliveredId).bind("name", name).bind("owner", owner).execute() == 1;
    }

    @Override
    public void releaseStream(String name, String owner) {
        handle.createUpdate("UPDATE audit_streams SET owner = NULL, lease_until = 0 WHERE name = :name AND owner = :owner")
                .bind("name", name).bind("owner", owner).execute();
    }

    @Override
    public int deleteBefore(Instant cutoff, int limit) {
        return handle.createUpdate("DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events "
                        + "WHERE occurred_at < :cutoff ORDER BY id LIMIT :limit)")
                .bind("cutoff", cutoff.toEpochMilli()).bind("limit", limit).execute();
    }

    @Override
    public List<AuditEvent> find(Filter filter, int limit, int offset) {
        List<String> conditions = new ArrayList<>();
        if (filter.clientId() != null) conditions.add("(actor = :client OR target = :client)");
        if (filter.type() != null) conditions.add("type = :type");
        if (filter.since() != null) conditions.add("occurred_at >= :since");
        if (filter.until() != null) conditions.add("occurred_at < :until");
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        Query query = handle.createQuery("SELECT id, occurred_at, actor, type, target, details FROM audit_events" + where
                + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset");
        if (filter.clientId() != null) query.bind("client", filter.clientId());
        if (filter.type() != null) query.bind("type", filter.type());
        if (filter.since() != null) query.bind("since", filter.since().toEpochMilli());
        if (filter.until() != null) query.bind("until", filter.until().toEpochMilli());
        return query.bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new AuditEvent(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("occurred_at")),
                        rs.getString("actor"), rs.getString("type"), rs.getString("target"), rs.getString("details")))
                .list();
    }
}
