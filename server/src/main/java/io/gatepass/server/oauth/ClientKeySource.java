package io.gatepass.server.oauth;

import io.gatepass.server.credentials.ClientKeys;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatepass.server.domain.Client;
import io.gatepass.server.fetch.OutboundFetcher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of {@code private_key_jwt} apps: the registered {@code jwks}, or the document at their
 * {@code jwks_uri}, fetched through the {@link OutboundFetcher} (its address checks, time-out and size limit) and
 * checked key by key as a registered set is, cached per its {@code Cache-Control} (1 minute
 * to 1 hour, 5 minutes when it says nothing), and fetched again when an assertion names an unknown {@code kid} —
 * at most once a minute per app, so that nobody can make the server hammer an app's endpoint. A failing
 * {@code jwks_uri} fails that app's requests (with the last good keys still used while they last), never the server.
 */
final class ClientKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeySource.class);
    static final Duration MIN_REFETCH = Duration.ofMinutes(1);
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private static final int MAX_KEYS = 100;
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d{1,9})");
    private static final int LOCKS = 64;

    /** Why an app's keys could not be had; the message is safe to show the app's developer. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** @param failure why the last fetch failed when no keys were had before it, or {@code null} */
    private record Cached(String source, JWKSet keys, long fetchedAt, long expiresAt, String failure) {
        Cached(String source, JWKSet keys, long fetchedAt, long expiresAt) {
            this(source, keys, fetchedAt, expiresAt, null);
        }

        boolean has(String kid) {
            return kid == null || keys.getKeyByKeyId(kid) != null;
        }
    }

    private final OutboundFetcher fetcher;
    private final Clock clock;
    private final Cache<String, Cached> cache = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Object[] locks = new Object[LOCKS];

    ClientKeySource(OutboundFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
        for (int i = 0; i < LOCKS; i++) locks[i] = new Object();
    }

    /** The app's keys, looked up again first when {@code kid} is not among them and a refetch is allowed. */
    JWKSet keys(Client client, String kid) throws Unavailable {
        String source = client.jwks() != null ? client.jwks() : client.jwksUri();
        if (source == null) throw new Unavailable("this app has no registered keys");
        Cached cached = cache.getIfPresent(client.clientId());
        long now = clock.millis();
        if (cached != null && cached.source().equals(source) && now < cached.expiresAt() && cached.has(kid)) {
            return cached.keys();
        }
        if (client.jwks() != null) return inline(client);
        synchronized (locks[Math.floorMod(client.clientId().hashCode(), LOCKS)]) {
            cached = cache.getIfPresent(client.clientId());
            now = clock.millis();
            boolean current = cached != null && cached.source().equals(source);
            // a failed fetch is not tried again for a minute, however many requests name the app
            if (current && cached.failure() != null && now < cached.expiresAt()) throw new Unavailable(cached.failure());
            if (current && cached.failure() != null) current = false;
            if (current && now < cached.expiresAt() && cached.has(kid)) return cached.keys();
            if (current && now - cached.fetchedAt() < MIN_REFETCH.toMillis()) return cached.keys(); // rate limited
            try {
                return fetch(client, now).keys();
            } catch (Unavailable e) {
                if (current) {
                    LOG.warn("jwks_uri of app {} failed ({}); using the keys fetched before", client.clientId(), e.getMessage());
                    cache.put(client.clientId(), new Cached(source, cached.keys(), now, now + MIN_REFETCH.toMillis()));
                    return cached.keys();
                }
                cache.put(client.clientId(), new Cached(source, new JWKSet(), now, now + MIN_REFETCH.toMillis(), e.getMessage()));
                throw e;
            }
        }
    }

    private JWKSet inline(Client client) throws Unavailable {
        try {
            JWKSet keys = JWKSet.parse(client.jwks());
            cache.put(client.clientId(), new Cached(client.jwks(), keys, clock.millis(), Long.MAX_VALUE));
            return keys;
        } catch (java.text.ParseException e) {
            throw new Unavailable("the registered jwks cannot be read");
        }
    }

    private Cached fetch(Client client, long now) throws Unavailable {
        String uri = client.jwksUri();
        OutboundFetcher.Fetched fetched;
        try {
            fetched = fetcher.get(uri, "application/jwk-set+json, application/json", client.allowPrivateNetwork());
        } catch (OutboundFetcher.Failed e) {
            throw new Unavailable("the app's jwks_uri could not be fetched");
        }
        try {
            JWKSet all = JWKSet.parse(new String(fetched.body(), StandardCharsets.UTF_8));
            List<JWK> usable = ClientKeys.usable(all, MAX_KEYS, client.clientId());
            Cached cached = new Cached(uri, new JWKSet(usable), now, now + ttl(fetched.cacheControl()));
            cache.put(client.clientId(), cached);
            return cached;
        } catch (java.text.ParseException e) {
            throw new Unavailable("the app's jwks_uri did not answer a JWK Set");
        }
    }

    private static long ttl(String cacheControl) {
        Matcher m = MAX_AGE.matcher(cacheControl);
        if (!m.find()) return DEFAULT_TTL.toMillis();
        long seconds = Long.parseLong(m.group(1));
        return Math.max(MIN_REFETCH.toSeconds(), Math.min(MAX_TTL.toSeconds(), seconds)) * 1000;
    }
}
