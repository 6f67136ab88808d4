package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.store.AssertionRepository;
import io.gatepass.server.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client assertion ids already used, until their assertion expires (RFC 7523 §3: the server may keep a {@code jti}
 * list to refuse replays; OIDC Core §9 requires a single-use {@code jti}). Checked in memory on the token path;
 * each use is also written to the store in the audit writer's next batch, and the list is loaded back at start,
 * so a restart does not reopen the window.
 *
 * <p>The embedded store serves one node, so memory is the whole truth here. With a shared database several nodes
 * must consult the store itself (the PostgreSQL issue).
 */
public final class AssertionReplayCache {
    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    private final Store store;
    private final AuditBatchWriter writer;
    private final Clock clock;

    public AssertionReplayCache(Store store, AuditBatchWriter writer, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        long now = clock.millis();
        store.read(tx -> tx.assertions().listUnexpired(Instant.ofEpochMilli(now))).stream()
                .filter(used -> !used.clientId().startsWith(DpopReplays.PREFIX)) // DPoP proofs keep their own list
                .forEach(used -> seen.put(key(used.clientId(), used.jti()), used.expiresAt().toEpochMilli()));
    }

    /** Records the use; false when the same app used the same {@code jti} before and that assertion is still valid. */
    boolean firstUse(String clientId, String jti, Instant expiresAt) {
        long now = clock.millis();
        long until = expiresAt.toEpochMilli();
        boolean[] first = {false};
        seen.compute(key(clientId, jti), (k, previous) -> {
            if (previous != null && previous > now) return previous;
            first[0] = true;
            return until;
        });
        if (!first[0]) return false;
        if (store.shared()) {
            // several nodes: the database's primary key decides, so an assertion used at one node is refused at all
            return store.inTransaction(tx -> tx.assertions().insertIfAbsent(
                    new AssertionRepository.UsedAssertion(clientId, jti, expiresAt)));
        }
        writer.assertionUsed(clientId, jti, expiresAt);
        return true;
    }

    /** Forgets expired ids, in memory and in the store. */
    public int prune() {
        long now = clock.millis();
        seen.values().removeIf(until -> until <= now);
        return store.inTransaction(tx -> tx.assertions().deleteExpired(Instant.ofEpochMilli(now)));
    }

    private static String key(String clientId, String jti) {
        return clientId + '\n' + jti;
    }
}
