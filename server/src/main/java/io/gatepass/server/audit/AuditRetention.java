package io.gatepass.server.audit;

import io.gatepass.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes audit events older than the retention ({@code --audit-retention}, 90 days by default), in batches of a few
 * thousand rows, each its own short transaction, from the housekeeping thread: never on the token path, and never a
 * long lock on the table the audit writer appends to.
 */
public final class AuditRetention {
    static final int BATCH = 5_000;

    private final Store store;
    private final Duration retention;
    private final Clock clock;

    /** @param retention how long events are kept; zero keeps them for ever */
    public AuditRetention(Store store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** How many events it removed. */
    public int prune() {
        if (retention.isZero()) return 0;
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        for (int deleted = BATCH; deleted == BATCH; total += deleted) {
            deleted = store.inTransaction(tx -> tx.audit().deleteBefore(cutoff, BATCH));
        }
        return total;
    }
}
