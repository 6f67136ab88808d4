package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The RFC 7592 side of an app that registered itself: the digest of its registration access token, and the RFC 7591
 * metadata it sent that Gatepass keeps without acting on it.
 *
 * @param metadata a JSON object of those fields ({@code contacts}, {@code software_id}, {@code client_uri}, …)
 */
public record ClientRegistration(String clientId, byte[] tokenDigest, String metadata, Instant updatedAt) {
    public ClientRegistration {
        Objects.requireNonNull(clientId, "client_id");
        Objects.requireNonNull(tokenDigest, "token_digest");
        if (tokenDigest.length != 32) throw new IllegalArgumentException("digest must be 32 bytes (SHA-256)");
        tokenDigest = tokenDigest.clone();
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(updatedAt, "updated_at");
    }

    @Override
    public byte[] tokenDigest() {
        return tokenDigest.clone();
    }
}
