package io.gatepass.server.domain;

import java.util.Optional;

/** Client authentication methods, by their RFC 7591 §2 {@code token_endpoint_auth_method} names. */
public enum ClientAuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    /** OIDC Core §9, RFC 7523 §2.2: a JWT signed with one of the app's own keys. */
    PRIVATE_KEY_JWT("private_key_jwt"),
    /**
     * Workload identity federation: a JWT its own platform issued (a Kubernetes service-account token, a GitHub
     * Actions OIDC token, a SPIFFE JWT-SVID), matched by one of the app's federated credentials. The app has no
     * secret and no key of its own.
     */
    FEDERATED_JWT("federated_jwt"),
    /** RFC 8705 §2.1: a client certificate from a trusted CA, recognised by its subject DN or one SAN. */
    TLS_CLIENT_AUTH("tls_client_auth"),
    /** RFC 8705 §2.2: a self-signed client certificate whose key is one of the app's registered {@code jwks}. */
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Whether the app authenticates with a client secret (and so has secrets). */
    public boolean usesSecret() {
        return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
    }

    /** Whether the app proves itself with a client certificate (mutual TLS). */
    public boolean usesCertificate() {
        return this == TLS_CLIENT_AUTH || this == SELF_SIGNED_TLS_CLIENT_AUTH;
    }

    /** Whether the app registers public keys ({@code jwks} / {@code jwks_uri}). */
    public boolean usesKeys() {
        return this == PRIVATE_KEY_JWT || this == SELF_SIGNED_TLS_CLIENT_AUTH;
    }

    public static Optional<ClientAuthMethod> parse(String value) {
        for (ClientAuthMethod method : values()) {
            if (method.value.equals(value)) return Optional.of(method);
        }
        return Optional.empty();
    }
}
