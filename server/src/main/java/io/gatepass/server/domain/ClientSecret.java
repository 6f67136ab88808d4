package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A client secret as stored: only its SHA-256 digest, never the value.
 *
 * @param digest     SHA-256 of the secret's UTF-8 bytes
 * @param lastUsedAt when the secret last authenticated its app, or {@code null} if never (recorded in batches)
 */
public record ClientSecret(String id, String clientId, byte[] digest, Instant createdAt, Instant lastUsedAt) {
    public ClientSecret {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "client_id");
        Objects.requireNonNull(digest, "digest");
        if (digest.length != 32) throw new IllegalArgumentException("digest must be 32 bytes (SHA-256)");
        digest = digest.clone();
        Objects.requireNonNull(createdAt, "created_at");
    }

    /** A new secret, never used. */
    public ClientSecret(String id, String clientId, byte[] digest, Instant createdAt) {
        this(id, clientId, digest, createdAt, null);
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
                && java.util.Arrays.equals(digest, other.digest) && createdAt.equals(other.createdAt)
                && java.util.Objects.equals(lastUsedAt, other.lastUsedAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
