package io.gatepass.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatepass.jose.RefreshingJwks;
import io.gatepass.server.credentials.ClientKeys;
import io.gatepass.server.domain.Client;
import io.gatepass.server.fetch.OutboundFetcher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of {@code private_key_jwt} apps: the registered {@code jwks}, or the document at their
 * {@code jwks_uri}, fetched through the {@link OutboundFetcher} (its address checks, time-out and size limit) and
 * checked key by key as a registered set is. A {@code jwks_uri} is a {@link RefreshingJwks}: cached per its
 * {@code Cache-Control} (1 minute to 1 hour, 5 minutes when it says nothing), fetched again for an unknown
 * {@code kid} at most once a minute per app, a failure remembered for a minute. A failing {@code jwks_uri} fails
 * that app's requests (with the last good keys still used while they last), never the server.
 */
final class ClientKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeySource.class);
    static final RefreshingJwks.Policy POLICY = new RefreshingJwks.Policy(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofMinutes(1));
    private static final int MAX_KEYS = 100;

    /**
     * Where the keys came from (a changed registration starts afresh) and the registered keys or the fetched ones;
     * neither when the registered set cannot be read.
     */
    private record Entry(String source, boolean allowPrivateNetwork, JWKSet inline, RefreshingJwks<JWKSet> fetched) {
        boolean isFor(Client client) {
            String current = client.jwks() != null ? client.jwks() : client.jwksUri();
            return source.equals(current) && allowPrivateNetwork == client.allowPrivateNetwork();
        }
    }

    private final OutboundFetcher fetcher;
    private final Clock clock;
    private final Cache<String, Entry> cache = Caffeine.newBuilder().maximumSize(100_000).build();

    ClientKeySource(OutboundFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** The app's keys, looked up again first when {@code kid} is not among them and a refetch is allowed. */
    JWKSet keys(Client client, String kid) throws RefreshingJwks.Unavailable {
        if (client.jwks() == null && client.jwksUri() == null) throw new RefreshingJwks.Unavailable("this app has no registered keys");
        Entry entry = cache.getIfPresent(client.clientId());
        if (entry == null || !entry.isFor(client)) {
            // one entry per app, so that concurrent first requests share one fetch
            entry = cache.asMap().compute(client.clientId(), (id, old) -> old != null && old.isFor(client) ? old : entry(client));
        }
        if (entry.inline() != null) return entry.inline();
        if (entry.fetched() == null) throw new RefreshingJwks.Unavailable("the registered jwks cannot be read");
        return entry.fetched().keys(kid);
    }

    private Entry entry(Client client) {
        if (client.jwks() != null) {
            try {
                return new Entry(client.jwks(), client.allowPrivateNetwork(), JWKSet.parse(client.jwks()), null);
            } catch (java.text.ParseException e) {
                return new Entry(client.jwks(), client.allowPrivateNetwork(), null, null);
            }
        }
        String clientId = client.clientId();
        RefreshingJwks<JWKSet> keys = new RefreshingJwks<>(() -> fetch(client),
                (set, kid) -> kid == null || set.getKeyByKeyId(kid) != null, POLICY, clock,
                failure -> LOG.warn("jwks_uri of app {} failed ({}); using the keys fetched before", clientId, failure.getMessage()));
        return new Entry(client.jwksUri(), client.allowPrivateNetwork(), null, keys);
    }

    private RefreshingJwks.Fetched<JWKSet> fetch(Client client) throws RefreshingJwks.Unavailable {
        OutboundFetcher.Fetched fetched;
        try {
            fetched = fetcher.get(client.jwksUri(), "application/jwk-set+json, application/json", client.allowPrivateNetwork());
        } catch (OutboundFetcher.Failed e) {
            throw new RefreshingJwks.Unavailable("the app's jwks_uri could not be fetched");
        }
        try {
            JWKSet all = JWKSet.parse(new String(fetched.body(), StandardCharsets.UTF_8));
            List<JWK> usable = ClientKeys.usable(all, MAX_KEYS, "app " + client.clientId());
            return new RefreshingJwks.Fetched<>(new JWKSet(usable), fetched.cacheControl());
        } catch (java.text.ParseException e) {
            throw new RefreshingJwks.Unavailable("the app's jwks_uri did not answer a JWK Set");
        }
    }
}
