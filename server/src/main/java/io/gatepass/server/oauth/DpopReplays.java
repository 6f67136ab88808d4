package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.store.Store;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DPoP proof ids already used at the token endpoint (RFC 9449 §11.1), per proof key, for as long as a proof is
 * accepted — without a store write on the token path.
 *
 * <p>One node: memory is the whole truth. A proof is at most a minute old when accepted, and a restart forgets the
 * list, so proofs made before this node started are refused ({@link #startedAt}): a client makes a new proof for
 * every request anyway. Several nodes on a shared store: a proof not seen here is also looked up in the store (read
 * only), and its use is written with the audit writer's next batch; a proof replayed at a second node before the
 * first node's batch is written (the batch window, about 100 ms) can pass there.
 *
 * <p>Entries are 16-byte digests of (thumbprint, jti), pruned every few seconds, so that a full window of proofs at
 * thousands per second stays tens of megabytes.
 */
final class DpopReplays {
    /** In the store the ids share the client assertion table, under a name no client_id can have. */
    static final String PREFIX = "dpop:";
    private static final long PRUNE_EVERY_MILLIS = 5_000;

    private record Key(long high, long low) {
    }

    private final ConcurrentHashMap<Key, Long> seen = new ConcurrentHashMap<>();
    private final Store store;
    private final AuditBatchWriter writer;
    private final Clock clock;
    private final Instant startedAt;
    private final AtomicLong nextPrune;

    DpopReplays(Store store, AuditBatchWriter writer, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.startedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // iat has whole seconds
        this.nextPrune = new AtomicLong(clock.millis() + PRUNE_EVERY_MILLIS);
    }

    /** Proofs made before this are refused on one node: its list of used ones died with the last process. */
    Instant startedAt() {
        return store.shared() ? Instant.MIN : startedAt;
    }

    /** Records the use; false when the same key's proof with this {@code jti} was used and is still acceptable. */
    boolean firstUse(String thumbprint, String jti, Instant expiresAt) {
        long now = clock.millis();
        long due = nextPrune.get();
        if (now >= due && nextPrune.compareAndSet(due, now + PRUNE_EVERY_MILLIS)) {
            seen.values().removeIf(until -> until <= now);
        }
        boolean[] first = {false};
        seen.compute(key(thumbprint, jti), (k, previous) -> {
            if (previous != null && previous > now) return previous;
            first[0] = true;
            return expiresAt.toEpochMilli();
        });
        if (!first[0]) return false;
        if (store.shared()) {
            String owner = PREFIX + thumbprint;
            if (store.read(tx -> tx.assertions().isStored(owner, jti, Instant.ofEpochMilli(now)))) return false;
            writer.assertionUsed(owner, jti, expiresAt);
        }
        return true;
    }

    private static Key key(String thumbprint, String jti) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(thumbprint.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            ByteBuffer digest = ByteBuffer.wrap(sha.digest(jti.getBytes(StandardCharsets.UTF_8)));
            return new Key(digest.getLong(), digest.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
