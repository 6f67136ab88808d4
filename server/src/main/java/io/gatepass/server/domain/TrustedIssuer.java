package io.gatepass.server.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An issuer whose tokens apps may authenticate with instead of a secret or key of their own: a Kubernetes cluster,
 * GitHub Actions, GitLab, a SPIFFE trust domain, any OIDC issuer.
 *
 * @param issuer               the {@code iss} of its tokens, compared exactly
 * @param jwks                 its keys inline (nothing is fetched), or {@code null}
 * @param jwksUri              where its keys are, or {@code null} for OIDC discovery at the issuer
 * @param audiences            a token must name one of these in {@code aud}
 * @param maxAssertionLifetime the longest {@code exp - iat} (or {@code exp - now}) a token may have, in seconds
 * @param allowReuse           whether a token may be used more than once (else its {@code jti}, required, is single use)
 * @param allowPrivateNetwork  whether its keys may be fetched from a loopback or private address (an in-cluster issuer)
 */
public record TrustedIssuer(String id, String issuer, String name, IssuerPreset preset, String jwks, String jwksUri,
                            List<String> audiences, int maxAssertionLifetime, boolean allowReuse,
                            boolean allowPrivateNetwork, boolean active, Instant createdAt, Instant updatedAt) {
    public TrustedIssuer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(preset, "preset");
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(createdAt, "created_at");
        Objects.requireNonNull(updatedAt, "updated_at");
    }

    /** Where its keys come from, as compared to decide whether cached keys still apply. */
    public String keySource() {
        return jwks != null ? "jwks " + jwks : jwksUri != null ? "jwks_uri " + jwksUri : "discovery " + issuer;
    }
}
