package io.gatepass.server.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An RFC 7591 §3 initial access token as stored: what an admin hands a partner so that it can register its own
 * apps, at most {@code maxUses} times until {@code expiresAt}. Only the token's SHA-256 digest is kept.
 *
 * @param grants             what every app registered with it is granted, and nothing more
 * @param allowedAuthMethods the {@code token_endpoint_auth_method}s an app registered with it may use; empty: any
 */
public record InitialAccessToken(String id, String name, byte[] digest, String createdBy, Instant createdAt,
                                 Instant expiresAt, int maxUses, int uses, List<GrantTemplate> grants,
                                 Set<ClientAuthMethod> allowedAuthMethods) {
    /** Scopes on one API, given to each app registered with the token. */
    public record GrantTemplate(String apiId, Set<String> scopes) {
        public GrantTemplate {
            Objects.requireNonNull(apiId, "api_id");
            scopes = Set.copyOf(scopes);
        }
    }

    public InitialAccessToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digest, "digest");
        if (digest.length != 32) throw new IllegalArgumentException("digest must be 32 bytes (SHA-256)");
        digest = digest.clone();
        Objects.requireNonNull(createdBy, "created_by");
        Objects.requireNonNull(createdAt, "created_at");
        Objects.requireNonNull(expiresAt, "expires_at");
        grants = List.copyOf(grants);
        allowedAuthMethods = Set.copyOf(allowedAuthMethods);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    public int usesLeft() {
        return Math.max(0, maxUses - uses);
    }

    public boolean allows(ClientAuthMethod method) {
        return allowedAuthMethods.isEmpty() || allowedAuthMethods.contains(method);
    }
}
