package io.gatepass.server.token;

import java.time.Instant;

/** A signed access token and what the token response says about it. */
public record MintedToken(String value, String jti, long expiresIn, Instant expiresAt) {
    @Override
    public String toString() {
        return "MintedToken[jti=" + jti + ", expiresIn=" + expiresIn + "]";
    }
}
