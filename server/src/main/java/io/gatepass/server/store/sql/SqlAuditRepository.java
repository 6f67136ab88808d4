package io.gatepass.server.store.sql;

import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.store.AuditRepository;
import org.jdbi.v3.core.Handle;

final class SqlAuditRepository implements AuditRepository {
    private final Handle handle;

    SqlAuditRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void append(AuditEvent event) {
        handle.createUpdate("INSERT INTO audit_events (occurred_at, actor, type, target, details) "
                        + "VALUES (:at, :actor, :type, :target, :details)")
                .bind("at", event.occurredAt().toEpochMilli())
                .bind("actor", event.actor())
                .bind("type", event.type())
                .bind("target", event.target())
                .bind("details", event.details())
                .execute();
    }
}
