package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A token signing key as stored.
 *
 * @param kid         RFC 7638 JWK thumbprint
 * @param privateJwk  the private key as a JWK JSON document
 * @param createdAt   when it was published in the JWKS
 * @param activatesAt when it starts signing (the newest key of its algorithm whose time has come signs)
 */
public record SigningKey(String kid, String alg, String privateJwk, Instant createdAt, Instant activatesAt) {
    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(privateJwk, "private_jwk");
        Objects.requireNonNull(createdAt, "created_at");
        Objects.requireNonNull(activatesAt, "activates_at");
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", alg=" + alg + ", createdAt=" + createdAt + ", activatesAt=" + activatesAt + "]";
    }
}
