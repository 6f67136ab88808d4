package io.gatepass.server.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/** Bucket4j token buckets of "n per minute": n at once, then refilled smoothly at n a minute. */
final class Buckets {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private Buckets() {
    }

    static Bucket perMinute(int n) {
        return Bucket.builder().addLimit(bandwidth(n)).build();
    }

    static BucketConfiguration configuration(int n) {
        return BucketConfiguration.builder().addLimit(bandwidth(n)).build();
    }

    private static Bandwidth bandwidth(int n) {
        return Bandwidth.builder().capacity(n).refillGreedy(n, MINUTE).build();
    }

    /** Whole seconds for {@code Retry-After}, rounded up. */
    static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
