package io.gatepass.server.store;

import io.gatepass.server.domain.AuditEvent;

public interface AuditRepository {
    void append(AuditEvent event);
}
