package io.gatepass.server.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An M2M app: an OAuth client that authenticates as itself (RFC 6749 §4.4).
 *
 * @param tokenLifetime the app's own cap on token lifetime in seconds, or {@code null} for none
 * @param lastUsedAt    when the app last authenticated, or {@code null} if never (recorded in batches, may lag)
 * @param jwks          for {@code private_key_jwt}: the app's public keys as a JWK Set document, or {@code null}
 * @param jwksUri       for {@code private_key_jwt}: where the app publishes its JWK Set, or {@code null}
 * @param tokenRateLimit the app's own token budget per minute, or {@code null} for the server default
 * @param reuseTokens   hand back the app's still-valid token for an identical request instead of minting another
 * @param defaultAudience the identifier of the API a token request that names none is for, or {@code null}
 * @param allowPrivateNetwork whether its {@code jwks_uri} may be on a loopback or private address (an admin's choice)
 * @param registeredVia what the app registered itself with at {@code /oauth/register} ({@code initial_access_token:<id>}
 *                      or {@code management_token:<client_id>}), or {@code null} for an app an admin made
 * @param claims        extra claims in every token of the app, as a JSON object, or {@code null} for none
 * @param constraints   RFC 9449 / RFC 8705 sender constraints on its tokens
 */
public record Client(String clientId, String name, ClientAuthMethod authMethod, ClientStatus status,
                     Integer tokenLifetime, Instant createdAt, Instant updatedAt, Instant lastUsedAt, String jwks,
                     String jwksUri, Integer tokenRateLimit, boolean reuseTokens, String defaultAudience,
                     boolean allowPrivateNetwork, String registeredVia, String claims, SenderConstraints constraints) {

    /**
     * @param dpopBound        RFC 9449 §5.2 {@code dpop_bound_access_tokens}: a token request without a DPoP proof is
     *                         refused
     * @param certificateBound RFC 8705 §3.4 {@code tls_client_certificate_bound_access_tokens}: tokens are bound to
     *                         the client certificate the request came with
     * @param tlsIdentity      for {@code tls_client_auth}: the certificate field it is known by, else {@code null}
     */
    public record SenderConstraints(boolean dpopBound, boolean certificateBound, TlsClientIdentity tlsIdentity) {
        public static final SenderConstraints NONE = new SenderConstraints(false, false, null);
    }

    public static final String ADMIN_CLIENT_ID = "gatepass-admin";

    public Client {
        Objects.requireNonNull(clientId, "client_id");
        Objects.requireNonNull(name, "client_name");
        Objects.requireNonNull(authMethod, "token_endpoint_auth_method");
        Objects.requireNonNull(status, "status");
        if (tokenLifetime != null && tokenLifetime <= 0) {
            throw new IllegalArgumentException("token_lifetime must be positive");
        }
        if (tokenRateLimit != null && tokenRateLimit <= 0) {
            throw new IllegalArgumentException("token_rate_limit must be positive");
        }
        Objects.requireNonNull(createdAt, "created_at");
        Objects.requireNonNull(updatedAt, "updated_at");
        if (constraints == null) constraints = SenderConstraints.NONE;
    }

    /** A new app, never used. */
    public Client(String clientId, String name, ClientAuthMethod authMethod, ClientStatus status, Integer tokenLifetime,
                  Instant createdAt, Instant updatedAt) {
        this(clientId, name, authMethod, status, tokenLifetime, createdAt, updatedAt, null, null, null, null, false, null, false,
                null, null, SenderConstraints.NONE);
    }

    public boolean isActive() {
        return status == ClientStatus.ACTIVE;
    }
}
