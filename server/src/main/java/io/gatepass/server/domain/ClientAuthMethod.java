package io.gatepass.server.domain;

import java.util.Optional;

/** Client authentication methods, by their RFC 7591 §2 {@code token_endpoint_auth_method} names. */
public enum ClientAuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    /** OIDC Core §9, RFC 7523 §2.2: a JWT signed with one of the app's own keys. */
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Whether the app authenticates with a client secret (and so has secrets). */
    public boolean usesSecret() {
        return this != PRIVATE_KEY_JWT;
    }

    public static Optional<ClientAuthMethod> parse(String value) {
        for (ClientAuthMethod method : values()) {
            if (method.value.equals(value)) return Optional.of(method);
        }
        return Optional.empty();
    }
}
