package io.gatepass.verifier;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local copy of Gatepass's revocation feed ({@code GET /oauth/revocations?since=<cursor>}): revoked token ids
 * and apps whose tokens issued before a time are void. {@link #poll()} asks for what is new since the last cursor,
 * with {@code If-None-Match}, so an unchanged feed costs a 304.
 */
final class RevocationFeed {
    private static final long LOOK_BACK = 100;

    private final HttpClient http;
    private final URI feedUri;
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> revokedJtis = new ConcurrentHashMap<>(); // jti → exp (epoch s)
    private final ConcurrentHashMap<String, Long> issuedBefore = new ConcurrentHashMap<>(); // client_id → epoch s
    private String cursor = "0";
    private String etag;
    private volatile long lastSuccess;

    RevocationFeed(HttpClient http, URI feedUri, Clock clock) {
        this.http = http;
        this.feedUri = feedUri;
        this.clock = clock;
    }

    boolean isRevoked(String jti, String clientId, long issuedAtEpochSecond) {
        if (jti != null && revokedJtis.containsKey(jti)) return true;
        Long cutoff = clientId == null ? null : issuedBefore.get(clientId);
        return cutoff != null && issuedAtEpochSecond < cutoff;
    }

    /** When the feed last answered, epoch millis; 0 before the first answer. */
    long lastSuccess() {
        return lastSuccess;
    }

    /** Fetches everything new; pages until the server says there is no more. */
    synchronized void poll() throws IOException {
        boolean more = true;
        while (more) {
            // a little behind the cursor: with several Gatepass nodes on PostgreSQL, an entry can appear after one with
            // a higher cursor; what is seen twice is merged, and an unchanged feed is still a 304
            long since = Math.max(0, Long.parseLong(cursor) - LOOK_BACK);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feedUri + "?since=" + since))
                    .timeout(Duration.ofSeconds(5)).GET();
            if (etag != null) request.header("If-None-Match", etag);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (response.statusCode() == 304) break;
            if (response.statusCode() != 200) throw new IOException("revocation feed answered HTTP " + response.statusCode());
            Map<String, Object> page;
            try {
                page = JSONObjectUtils.parse(response.body());
            } catch (ParseException e) {
                throw new IOException("revocation feed answered something else than JSON", e);
            }
            for (Object entry : (List<?>) page.getOrDefault("tokens", List.of())) {
                Map<?, ?> token = (Map<?, ?>) entry;
                revokedJtis.put((String) token.get("jti"), ((Number) token.get("exp")).longValue());
            }
            for (Object entry : (List<?>) page.getOrDefault("clients", List.of())) {
                Map<?, ?> client = (Map<?, ?>) entry;
                issuedBefore.merge((String) client.get("client_id"), ((Number) client.get("issued_before")).longValue(), Math::max);
            }
            String next = String.valueOf(page.get("cursor"));
            more = Boolean.TRUE.equals(page.get("has_more")) && !next.equals(cursor);
            cursor = next;
            etag = more ? null : response.headers().firstValue("ETag").orElse(null);
        }
        long nowSeconds = clock.millis() / 1000;
        revokedJtis.values().removeIf(exp -> exp < nowSeconds); // an expired token is refused anyway
        lastSuccess = clock.millis();
    }
}
