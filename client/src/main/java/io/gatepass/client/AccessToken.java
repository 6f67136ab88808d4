package io.gatepass.client;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token as the token endpoint gave it (RFC 6749 §5.1).
 *
 * @param value     the token, for {@code Authorization: Bearer …}
 * @param scope     the scopes granted, space separated ("" when none)
 * @param expiresAt when it stops working, from {@code expires_in} and the time it was received
 * @param type      {@code Bearer}, or {@code DPoP} for a token bound to the source's DPoP key (RFC 9449 §5)
 */
public record AccessToken(String value, String scope, Instant expiresAt, String type) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (type == null) type = "Bearer";
    }

    /** A bearer token. */
    public AccessToken(String value, String scope, Instant expiresAt) {
        this(value, scope, expiresAt, "Bearer");
    }

    /** Whether it is DPoP-bound: each request that carries it needs a proof by the key. */
    public boolean dpopBound() {
        return type.equalsIgnoreCase("DPoP");
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "AccessToken[type=" + type + ", scope=" + scope + ", expiresAt=" + expiresAt + "]";
    }
}
