package io.gatepass.server.store;

import io.gatepass.server.domain.AuditEvent;
import java.time.Instant;
import java.util.List;

public interface AuditRepository {
    /** What {@code GET /admin/audit} asks for; a {@code null} member does not filter. */
    record Filter(String clientId, String type, Instant since, Instant until) {
    }

    void append(AuditEvent event);

    /** Appends many events in one batch. */
    void appendAll(List<AuditEvent> events);

    /** Events from {@code since} with an id above {@code afterId}, oldest first: the export, page by page. */
    List<AuditEvent> after(Instant since, long afterId, int limit);

    /** Deletes up to {@code limit} of the oldest events before {@code cutoff}; how many it deleted. */
    int deleteBefore(Instant cutoff, int limit);

    /** Events matching the filter, newest first. A client_id matches events the app made or that concern it. */
    List<AuditEvent> find(Filter filter, int limit, int offset);
}
