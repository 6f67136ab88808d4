package io.gatepass.client;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token as the token endpoint gave it (RFC 6749 §5.1).
 *
 * @param value     the token, for {@code Authorization: Bearer …}
 * @param scope     the scopes granted, space separated ("" when none)
 * @param expiresAt when it stops working, from {@code expires_in} and the time it was received
 */
public record AccessToken(String value, String scope, Instant expiresAt) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "AccessToken[scope=" + scope + ", expiresAt=" + expiresAt + "]";
    }
}
