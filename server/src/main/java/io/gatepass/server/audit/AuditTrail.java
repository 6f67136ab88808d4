package io.gatepass.server.audit;

import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.codec.Json;
import io.gatepass.server.store.StoreTransaction;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records management changes in the transaction that makes them, so the audit log and the data never disagree.
 * Callers pass views that never hold a secret.
 */
public final class AuditTrail {
    private final Json json;
    private final Clock clock;

    public AuditTrail(Json json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param before the state before the change, or {@code null} for a creation
     * @param after  the state after the change, or {@code null} for a removal
     */
    public void record(StoreTransaction tx, Actor actor, String type, String target, Object before, Object after) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (actor.via() != null) details.put("via", actor.via());
        if (before != null) details.put("before", before);
        if (after != null) details.put("after", after);
        tx.audit().append(new AuditEvent(clock.instant(), actor.id(), type, target, json.writeString(details)));
    }
}
