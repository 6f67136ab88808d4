package io.gatepass.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatepass.jose.RefreshingJwks;
import io.gatepass.server.credentials.IssuerKeys;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.manage.TrustedIssuerService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of trusted issuers: inline, from their {@code jwks_uri}, or from the {@code jwks_uri} of their OIDC
 * discovery document — every fetch through the {@link OutboundFetcher} (https, address checks, time-out, size) —
 * cached as {@link ClientKeySource} caches apps' keys (max-age clamped to 1 minute – 1 hour, an unknown {@code kid}
 * refetched at most once a minute per issuer, the last good keys kept while the issuer is down). One issuer's outage
 * fails only the apps that use it.
 */
final class IssuerKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeySource.class);

    private record Entry(String source, JWKSet inline, RefreshingJwks<JWKSet> fetched) {
    }

    private final OutboundFetcher fetcher;
    private final Clock clock;
    private final Cache<String, Entry> cache = Caffeine.newBuilder().maximumSize(10_000).build();

    IssuerKeySource(OutboundFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    JWKSet keys(TrustedIssuer issuer, String kid) throws RefreshingJwks.Unavailable {
        String source = issuer.keySource() + " " + issuer.allowPrivateNetwork();
        Entry entry = cache.getIfPresent(issuer.id());
        if (entry == null || !entry.source().equals(source)) {
            entry = cache.asMap().compute(issuer.id(), (id, old) -> old != null && old.source().equals(source) ? old : entry(issuer, source));
        }
        if (entry.inline() != null) return entry.inline();
        return entry.fetched().keys(kid);
    }

    private Entry entry(TrustedIssuer issuer, String source) {
        if (issuer.jwks() != null) return new Entry(source, IssuerKeys.parse(issuer.jwks()), null);
        return new Entry(source, null, new RefreshingJwks<>(() -> fetch(issuer),
                (set, kid) -> kid == null || set.getKeyByKeyId(kid) != null, ClientKeySource.POLICY, clock,
                failure -> LOG.warn("keys of trusted issuer {} could not be fetched ({}); using the keys fetched before",
                        issuer.issuer(), failure.getMessage())));
    }

    private RefreshingJwks.Fetched<JWKSet> fetch(TrustedIssuer issuer) throws RefreshingJwks.Unavailable {
        String jwksUri = issuer.jwksUri() != null ? issuer.jwksUri() : discover(issuer);
        OutboundFetcher.Fetched fetched = get(jwksUri, "application/jwk-set+json, application/json", issuer,
                "the issuer's keys could not be fetched");
        try {
            JWKSet all = JWKSet.parse(new String(fetched.body(), StandardCharsets.UTF_8));
            return new RefreshingJwks.Fetched<>(new JWKSet(IssuerKeys.usable(all, "trusted issuer " + issuer.issuer())),
                    refreshHint(all).map(seconds -> "max-age=" + seconds).orElse(fetched.cacheControl()));
        } catch (java.text.ParseException e) {
            throw new RefreshingJwks.Unavailable("the issuer's jwks_uri did not answer a JWK Set");
        }
    }

    /**
     * SPIFFE Trust Domain and Bundle §4.1.2: a bundle's {@code spiffe_refresh_hint} (seconds) says how often to
     * fetch it again; it is the trust domain's own word, so it wins over the HTTP cache header (both are held to the
     * same bounds).
     */
    private static java.util.Optional<Long> refreshHint(JWKSet set) {
        Object hint = set.getAdditionalMembers().get("spiffe_refresh_hint");
        if (hint instanceof Number n && n.longValue() > 0 && n.longValue() <= 999_999_999L) return java.util.Optional.of(n.longValue());
        return java.util.Optional.empty();
    }

    /** OIDC Discovery §4: the document names {@code jwks_uri}, which is held to the same address rules. */
    private String discover(TrustedIssuer issuer) throws RefreshingJwks.Unavailable {
        String url = TrustedIssuerService.discoveryUrl(issuer.issuer());
        OutboundFetcher.Fetched fetched = get(url, "application/json", issuer, "the issuer's OIDC discovery document could not be fetched");
        try {
            Map<String, Object> document = JSONObjectUtils.parse(new String(fetched.body(), StandardCharsets.UTF_8));
            if (!issuer.issuer().equals(document.get("issuer"))) {
                throw new RefreshingJwks.Unavailable("the issuer's discovery document names another issuer");
            }
            if (!(document.get("jwks_uri") instanceof String jwksUri)) {
                throw new RefreshingJwks.Unavailable("the issuer's discovery document has no jwks_uri");
            }
            return jwksUri;
        } catch (java.text.ParseException e) {
            throw new RefreshingJwks.Unavailable("the issuer's discovery document is not JSON");
        }
    }

    private OutboundFetcher.Fetched get(String url, String accept, TrustedIssuer issuer, String failure)
            throws RefreshingJwks.Unavailable {
        try {
            return fetcher.get(url, accept, issuer.allowPrivateNetwork());
        } catch (OutboundFetcher.Failed e) {
            throw new RefreshingJwks.Unavailable(failure);
        }
    }
}
