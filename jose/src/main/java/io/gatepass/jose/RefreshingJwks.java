package io.gatepass.jose;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys fetched from one JWK Set URL, kept for as long as the answer's {@code Cache-Control: max-age} says (within
 * the policy's bounds), and fetched again when a caller names a key it does not know — after a rotation — at most
 * once per {@code minRefetch}, so that made-up {@code kid}s cannot make anyone hammer the URL. A failed fetch keeps
 * the keys had before; with none, the failure is remembered for {@code minRefetch}, so a dead URL is not tried on
 * every request. Used by the server for apps' {@code jwks_uri} and by the verifier SDK for the server's JWKS.
 *
 * <p>Nimbus's {@code JWKSourceBuilder} has refetch limits and outage tolerance too, but a fixed lifetime instead of
 * the answer's {@code max-age}, and it fetches itself: the server's fetches must go through its own address checks.
 *
 * @param <K> the keys in the form the caller looks them up in
 */
public final class RefreshingJwks<K> {
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d{1,9})");

    /** How long keys are kept, and how often they may be fetched. */
    public record Policy(Duration minTtl, Duration defaultTtl, Duration maxTtl, Duration minRefetch) {
    }

    /** Why no keys could be had; the message is the fetcher's, safe to show whoever owns the URL. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** One fetch of the URL: the keys and the answer's {@code Cache-Control} header ({@code ""} when absent). */
    public record Fetched<K>(K keys, String cacheControl) {
    }

    @FunctionalInterface
    public interface Fetcher<K> {
        Fetched<K> fetch() throws Unavailable;
    }

    /** @param failure why the last fetch failed when no keys were had before it, or {@code null} */
    private record State<K>(K keys, long fetchedAt, long expiresAt, String failure) {
    }

    private final Fetcher<K> fetcher;
    private final BiPredicate<K, String> knows;
    private final Policy policy;
    private final Clock clock;
    private final Consumer<Unavailable> onStale;
    private volatile State<K> state;

    /**
     * @param knows   whether the keys hold the one a caller names ({@code null} names none in particular)
     * @param onStale told when a fetch failed and the keys fetched before are kept
     */
    public RefreshingJwks(Fetcher<K> fetcher, BiPredicate<K, String> knows, Policy policy, Clock clock,
                          Consumer<Unavailable> onStale) {
        this.fetcher = fetcher;
        this.knows = knows;
        this.policy = policy;
        this.clock = clock;
        this.onStale = onStale;
    }

    /** The keys, fetched first when they have expired, or when {@code name} is not among them and a refetch is due. */
    public K keys(String name) throws Unavailable {
        State<K> current = state;
        if (current != null && current.failure() == null && clock.millis() < current.expiresAt()
                && knows.test(current.keys(), name)) {
            return current.keys();
        }
        synchronized (this) {
            current = state;
            long now = clock.millis();
            if (current != null && current.failure() != null) {
                if (now < current.expiresAt()) throw new Unavailable(current.failure());
                current = null;
            }
            if (current != null) {
                boolean expired = now >= current.expiresAt();
                boolean refetchDue = now - current.fetchedAt() >= policy.minRefetch().toMillis();
                if (!expired && (knows.test(current.keys(), name) || !refetchDue)) return current.keys();
            }
            try {
                Fetched<K> fetched = fetcher.fetch();
                state = new State<>(fetched.keys(), now, now + ttl(fetched.cacheControl()), null);
                return fetched.keys();
            } catch (Unavailable e) {
                long retryAt = now + policy.minRefetch().toMillis();
                if (current == null) {
                    state = new State<>(null, now, retryAt, e.getMessage());
                    throw e;
                }
                onStale.accept(e);
                state = new State<>(current.keys(), now, Math.max(current.expiresAt(), retryAt), null);
                return current.keys();
            }
        }
    }

    private long ttl(String cacheControl) {
        Matcher m = MAX_AGE.matcher(cacheControl == null ? "" : cacheControl);
        long seconds = m.find() ? Long.parseLong(m.group(1)) : policy.defaultTtl().toSeconds();
        return Math.max(policy.minTtl().toSeconds(), Math.min(policy.maxTtl().toSeconds(), seconds)) * 1000;
    }
}
