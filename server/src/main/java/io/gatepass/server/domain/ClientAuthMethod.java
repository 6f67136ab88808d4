package io.gatepass.server.domain;

import java.util.Optional;

/** Client authentication methods, by their RFC 7591 §2 {@code token_endpoint_auth_method} names. */
public enum ClientAuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ClientAuthMethod> parse(String value) {
        for (ClientAuthMethod method : values()) {
            if (method.value.equals(value)) return Optional.of(method);
        }
        return Optional.empty();
    }
}
