package io.gatepass.server.store;

import io.gatepass.server.domain.AuditEvent;
import java.time.Instant;
import java.util.List;

public interface AuditRepository {
    /** What {@code GET /admin/audit} asks for; a {@code null} member does not filter. */
    record Filter(String clientId, String type, Instant since, Instant until) {
    }

    /** How many events of one type an actor made in one minute (epoch milliseconds / 60,000). */
    record MinuteCount(long minute, String actor, long count) {
    }

    void append(AuditEvent event);

    /** Events of {@code type} from {@code since} on, counted per minute and actor: the console's charts. */
    List<MinuteCount> countPerMinute(String type, Instant since);

    /** Appends many events in one batch. */
    void appendAll(List<AuditEvent> events);

    /** Events from {@code since} with an id above {@code afterId}, oldest first: the export, page by page. */
    List<AuditEvent> after(Instant since, long afterId, int limit);

    /** Deletes up to {@code limit} of the oldest events before {@code cutoff}; how many it deleted. */
    int deleteBefore(Instant cutoff, int limit);

    /**
     * Claims the audit stream {@code name} for {@code owner} until {@code leaseUntil} — when no other node holds it
     * (its lease ran out) or it is already this node's — and returns how far it has delivered; empty when another
     * node holds it. A stream seen for the first time starts at the newest event: it streams what happens from then
     * on (the past is {@code GET /admin/audit/export}'s).
     */
    java.util.OptionalLong claimStream(String name, String owner, Instant now, Instant leaseUntil);

    /** Records that {@code owner}'s stream delivered every event up to {@code deliveredId}; false when it is not its. */
    boolean advanceStream(String name, String owner, long deliveredId);

    /** Gives up {@code owner}'s claim on the stream, so that the next node or start takes it at once. */
    void releaseStream(String name, String owner);

    /** Events matching the filter, newest first. A client_id matches events the app made or that concern it. */
    List<AuditEvent> find(Filter filter, int limit, int offset);
}
