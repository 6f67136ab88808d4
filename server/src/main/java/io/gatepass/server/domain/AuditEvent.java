package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit record.
 *
 * @param id      the store's sequence number; 0 before it is stored
 * @param actor   the client_id that acted (the admin app, or the app that got a token), or {@code "system"}
 * @param type    what happened, e.g. {@code client.created}, {@code token.issued}
 * @param target  the id of what it happened to (for app changes and grants the app's client_id)
 * @param details JSON: the state before and after a change, or the facts of a token event; never a secret
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String type, String target, String details) {
    public AuditEvent {
        Objects.requireNonNull(occurredAt, "occurred_at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        details = details == null ? "{}" : details;
    }

    public AuditEvent(Instant occurredAt, String actor, String type, String target, String details) {
        this(0, occurredAt, actor, type, target, details);
    }
}
