package io.gatepass.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatepass.server.token.MintedToken;
import io.gatepass.server.token.RevocationList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * For apps that opt in ({@code reuse_tokens}): the token last minted for an identical request (same app, API,
 * scopes, token format and lifetime), handed back while at least half its lifetime is left and nothing has voided it.
 * An app that asks for a token on every call then costs a lookup instead of a signature, and its APIs see one token
 * instead of thousands. The price: every holder shares one {@code jti}, so revoking it revokes it for all of them.
 * In memory, per node.
 */
final class TokenReuse {
    private final RevocationList revocations;
    private final Clock clock;
    private final Cache<Request, Held> held = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofDays(1)).build();

    /** What makes two token requests identical; {@code format} is the signing algorithm and header type. */
    private record Request(String clientId, String audience, String scope, String format, int lifetime) {
    }

    private record Held(MintedToken token, long issuedAt) {
    }

    TokenReuse(RevocationList revocations, Clock clock) {
        this.revocations = revocations;
        this.clock = clock;
    }

    /** The held token with its remaining lifetime as {@code expires_in}, or {@code null} when a new one is due. */
    MintedToken find(String clientId, String audience, String scope, String format, int lifetime) {
        Held entry = held.getIfPresent(new Request(clientId, audience, scope, format, lifetime));
        if (entry == null) return null;
        MintedToken token = entry.token();
        long left = token.expiresAt().getEpochSecond() - clock.instant().getEpochSecond();
        if (left * 2 < token.expiresIn()) return null;
        if (revocations.isTokenRevoked(token.jti()) || entry.issuedAt() < revocations.issuedBefore(clientId)) return null;
        return new MintedToken(token.value(), token.jti(), left, token.expiresAt());
    }

    void remember(String clientId, String audience, String scope, String format, int lifetime, MintedToken token) {
        Instant issuedAt = token.expiresAt().minusSeconds(token.expiresIn());
        held.put(new Request(clientId, audience, scope, format, lifetime), new Held(token, issuedAt.getEpochSecond()));
    }
}
