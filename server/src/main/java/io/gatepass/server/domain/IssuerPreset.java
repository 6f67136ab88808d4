package io.gatepass.server.domain;

import java.util.List;
import java.util.Optional;

/**
 * What kind of platform a trusted issuer is: its defaults, and the rules its tokens and credentials must follow.
 */
public enum IssuerPreset {
    /** Any OIDC issuer: a token is used once (its {@code jti}), unless the issuer allows reuse. */
    GENERIC("generic", null, false, List.of()),
    /**
     * Projected service-account tokens: {@code sub} is {@code system:serviceaccount:<namespace>:<name>}; a token is
     * reused until the kubelet rotates it, so reuse is allowed.
     */
    KUBERNETES("kubernetes", null, true, List.of()),
    /**
     * GitHub Actions OIDC tokens. A repository's or owner's name can be taken by someone else after a rename, so a
     * credential must pin an immutable id.
     */
    GITHUB_ACTIONS("github-actions", "https://token.actions.githubusercontent.com", false,
            List.of("repository_id", "repository_owner_id")),
    /** GitLab CI {@code id_tokens}: a credential pins {@code project_id} or {@code namespace_id}. */
    GITLAB("gitlab", null, false, List.of("project_id", "namespace_id")),
    /**
     * SPIFFE JWT-SVIDs: {@code sub} is the SPIFFE ID; the assertion type {@code …:jwt-spiffe}
     * (draft-ietf-oauth-spiffe-client-auth) is accepted besides {@code …:jwt-bearer}; SVIDs are reused while valid.
     */
    SPIFFE("spiffe", null, true, List.of());

    private final String value;
    private final String defaultIssuer;
    private final boolean reuseByDefault;
    private final List<String> pinnedClaims;

    IssuerPreset(String value, String defaultIssuer, boolean reuseByDefault, List<String> pinnedClaims) {
        this.value = value;
        this.defaultIssuer = defaultIssuer;
        this.reuseByDefault = reuseByDefault;
        this.pinnedClaims = pinnedClaims;
    }

    public String value() {
        return value;
    }

    /** The issuer a preset stands for when it has one (GitHub's), or {@code null}. */
    public String defaultIssuer() {
        return defaultIssuer;
    }

    public boolean reuseByDefault() {
        return reuseByDefault;
    }

    /** Claims of which a credential must pin at least one (immutable ids); empty when none is needed. */
    public List<String> pinnedClaims() {
        return pinnedClaims;
    }

    public static Optional<IssuerPreset> parse(String value) {
        for (IssuerPreset preset : values()) if (preset.value.equals(value)) return Optional.of(preset);
        return Optional.empty();
    }
}
