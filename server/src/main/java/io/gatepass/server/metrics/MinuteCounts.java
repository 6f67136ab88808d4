package io.gatepass.server.metrics;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count per minute for the last hour, in memory on this node: what the console charts of events that are not in
 * the audit log (429 answers). Lock-free; a slot is reset when the clock comes round to it again.
 */
public final class MinuteCounts {
    public static final int MINUTES = 60;

    private final Clock clock;
    private final AtomicLongArray counts = new AtomicLongArray(MINUTES);
    private final AtomicLongArray minutes = new AtomicLongArray(MINUTES);

    public MinuteCounts(Clock clock) {
        this.clock = clock;
    }

    public void increment() {
        long minute = clock.millis() / 60_000;
        int slot = (int) (minute % MINUTES);
        long seen = minutes.get(slot);
        if (seen != minute && minutes.compareAndSet(slot, seen, minute)) counts.set(slot, 0);
        counts.incrementAndGet(slot);
    }

    /** The count of minute {@code minute} (epoch milliseconds / 60,000), or 0 when it is older than an hour. */
    public long at(long minute) {
        int slot = (int) (minute % MINUTES);
        return minutes.get(slot) == minute ? counts.get(slot) : 0;
    }
}
