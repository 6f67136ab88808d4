package io.gatepass.server.token;

/** A signed access token and what the token response says about it. */
public record MintedToken(String value, String jti, long expiresIn) {
    @Override
    public String toString() {
        return "MintedToken[jti=" + jti + ", expiresIn=" + expiresIn + "]";
    }
}
