package io.gatepass.server.token;

import io.gatepass.server.domain.Revocation;
import io.gatepass.server.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every revocation that still voids a token, held in memory: introspection and the management API consult it
 * without touching the store, and the revocation feed is served from it.
 *
 * <p>The store is the source of truth. After committing a revocation, the writer calls {@link #catchUp()}, which
 * reads every entry above the last one seen; with a shared database the same call picks up other nodes' entries.
 */
public final class RevocationList {
    private static final int LOAD_PAGE = 10_000;
    /**
     * With PostgreSQL a sequence number is taken before commit, so a revocation may become visible after one with
     * a higher id; each catch-up looks this far back again (what it already holds it skips).
     */
    static final int LOOK_BACK = 100;

    /** One page of the feed: entries after the requested cursor, and the cursor to ask from next. */
    public record FeedPage(long cursor, List<Revocation> entries, boolean hasMore, String version) {
    }

    private final Store store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Revocation> tokensByJti = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> issuedBeforeByClient = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Revocation> feed = new ConcurrentSkipListMap<>();
    private volatile long lastId;
    /** Changes whenever the feed does; part of the feed's ETag. */
    private volatile long generation;
    /** Tells this process's generations from another's (a restart, or another node behind the same name). */
    private final String instance = Long.toString(System.nanoTime() ^ Double.doubleToLongBits(Math.random()), 36);

    private RevocationList(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Prunes what has expired and loads the rest. */
    public static RevocationList load(Store store, Clock clock) {
        RevocationList list = new RevocationList(store, clock);
        list.prune();
        list.catchUp();
        return list;
    }

    /** Reads the revocations committed since the last call, by this node or another. */
    public synchronized void catchUp() {
        List<Revocation> page;
        long after = Math.max(0, lastId - LOOK_BACK);
        do {
            long from = after;
            page = store.read(tx -> tx.revocations().listAfter(from, LOAD_PAGE));
            for (Revocation revocation : page) {
                if (!feed.containsKey(revocation.id())) add(revocation);
                after = revocation.id();
            }
        } while (page.size() == LOAD_PAGE);
    }

    private void add(Revocation revocation) {
        feed.put(revocation.id(), revocation);
        if (revocation.kind() == Revocation.Kind.TOKEN) {
            tokensByJti.put(revocation.jti(), revocation);
        } else {
            issuedBeforeByClient.merge(revocation.clientId(), revocation.issuedBeforeEpochSecond(), Math::max);
        }
        lastId = Math.max(lastId, revocation.id());
        generation++;
    }

    /** Drops entries that void nothing any more, from the store and from memory; returns how many. */
    public synchronized int prune() {
        Instant now = clock.instant();
        int deleted = store.inTransaction(tx -> tx.revocations().deleteExpired(now));
        boolean changed = feed.values().removeIf(revocation -> revocation.expiresAt().isBefore(now));
        if (!changed) return deleted;
        tokensByJti.values().removeIf(revocation -> revocation.expiresAt().isBefore(now));
        Map<String, Long> remaining = new HashMap<>();
        for (Revocation revocation : feed.values()) {
            if (revocation.kind() == Revocation.Kind.CLIENT) {
                remaining.merge(revocation.clientId(), revocation.issuedBeforeEpochSecond(), Math::max);
            }
        }
        // never lower a cutoff that still applies while readers look at the map
        issuedBeforeByClient.keySet().removeIf(clientId -> !remaining.containsKey(clientId));
        issuedBeforeByClient.putAll(remaining);
        generation++;
        return deleted;
    }

    public boolean isTokenRevoked(String jti) {
        return tokensByJti.containsKey(jti);
    }

    /** Tokens of this app with an {@code iat} before this epoch second are void; 0 when none are. */
    public long issuedBefore(String clientId) {
        Long cutoff = issuedBeforeByClient.get(clientId);
        return cutoff == null ? 0 : cutoff;
    }

    /** A tag that changes whenever the feed does, and differs between server processes. */
    public String version() {
        return instance + "." + generation;
    }

    /** At most {@code limit} entries with a cursor above {@code since}, oldest first. */
    public FeedPage feed(long since, int limit) {
        String version = version();
        long last = lastId;
        List<Revocation> entries = new ArrayList<>();
        boolean hasMore = false;
        for (Revocation revocation : feed.tailMap(since, false).values()) {
            if (entries.size() == limit) {
                hasMore = true;
                break;
            }
            entries.add(revocation);
        }
        long cursor = hasMore ? entries.get(entries.size() - 1).id()
                : Math.max(last, entries.isEmpty() ? 0 : entries.get(entries.size() - 1).id());
        return new FeedPage(cursor, List.copyOf(entries), hasMore, version);
    }
}
