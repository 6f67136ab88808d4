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
    FEDERATED_JWT("federated_jwt");

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

    public static Optional<ClientAuthMethod> parse(String value) {
        for (ClientAuthMethod method : values()) {
            if (method.value.equals(value)) return Optional.of(method);
        }
        return Optional.empty();
    }
}
