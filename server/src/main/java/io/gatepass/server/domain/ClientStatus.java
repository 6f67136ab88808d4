package io.gatepass.server.domain;

import java.util.Optional;

/** Whether an app may obtain tokens: admins block and unblock apps at any time. */
public enum ClientStatus {
    ACTIVE("active"),
    BLOCKED("blocked");

    private final String value;

    ClientStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ClientStatus> parse(String value) {
        for (ClientStatus status : values()) {
            if (status.value.equals(value)) return Optional.of(status);
        }
        return Optional.empty();
    }
}
