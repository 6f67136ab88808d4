package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A client secret as stored: only its SHA-256 digest, never the value.
 *
 * @param digest SHA-256 of the secret's UTF-8 bytes
 */
public record ClientSecret(String id, String clientId, byte[] digest, Instant createdAt) {
    public ClientSecret {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "client_id");
        Objects.requireNonNull(digest, "digest");
        if (digest.length != 32) throw new IllegalArgumentException("digest must be 32 bytes (SHA-256)");
        digest = digest.clone();
        Objects.requireNonNull(createdAt, "created_at");
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public String toString() {
        return "ClientSecret[id=" + id + ", clientId=" + clientId + ", createdAt=" + createdAt + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSecret other && id.equals(other.id) && clientId.equals(other.clientId)
                && java.util.Arrays.equals(digest, other.digest) && createdAt.equals(other.createdAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
