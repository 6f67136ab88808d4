package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A revocation: one token (by {@code jti}, RFC 7009) or every token an app was issued before {@code revokedAt}
 * (the admin voided them, or blocked or removed the app).
 *
 * @param id        the store's sequence number, the revocation feed's cursor; 0 before it is stored
 * @param jti       the revoked token's id, for {@link Kind#TOKEN} only
 * @param expiresAt when every token this entry voids has expired anyway, so the entry can be pruned
 */
public record Revocation(long id, Kind kind, String clientId, String jti, Instant revokedAt, Instant expiresAt) {
    public enum Kind {
        TOKEN("token"), CLIENT("client");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static Kind parse(String value) {
            for (Kind kind : values()) if (kind.value.equals(value)) return kind;
            throw new IllegalArgumentException("unknown revocation kind " + value);
        }
    }

    public Revocation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(clientId, "client_id");
        if ((kind == Kind.TOKEN) != (jti != null)) throw new IllegalArgumentException("jti is required for token revocations only");
        Objects.requireNonNull(revokedAt, "revoked_at");
        Objects.requireNonNull(expiresAt, "expires_at");
    }

    public static Revocation token(String clientId, String jti, Instant revokedAt, Instant tokenExpiry) {
        return new Revocation(0, Kind.TOKEN, clientId, jti, revokedAt, tokenExpiry);
    }

    public static Revocation client(String clientId, Instant revokedAt, Instant lastTokenExpiry) {
        return new Revocation(0, Kind.CLIENT, clientId, null, revokedAt, lastTokenExpiry);
    }

    /**
     * For {@link Kind#CLIENT}: tokens whose {@code iat} (whole seconds, RFC 7519 §4.1.6) is before this are void.
     * Rounded up, so a token issued earlier in the same second as the revocation is void too.
     */
    public long issuedBeforeEpochSecond() {
        return Math.floorDiv(revokedAt.toEpochMilli(), 1000) + 1;
    }
}
