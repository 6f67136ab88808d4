package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit record.
 *
 * @param actor   the client_id that made the change, or {@code "system"}
 * @param type    what happened, e.g. {@code client.created}
 * @param target  the id of what it happened to
 * @param details JSON with the state before and after; never a secret
 */
public record AuditEvent(Instant occurredAt, String actor, String type, String target, String details) {
    public AuditEvent {
        Objects.requireNonNull(occurredAt, "occurred_at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        details = details == null ? "{}" : details;
    }
}
