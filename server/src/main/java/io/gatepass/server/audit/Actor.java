package io.gatepass.server.audit;

import java.util.Objects;

/**
 * Who made a management change, as the audit log records it.
 *
 * @param id  the acting app's client_id, an initial access token's id, or {@code "system"}
 * @param via how the change arrived when it matters to a reader of the log ({@code "console"}), or {@code null} for
 *            the management API and the server itself
 */
public record Actor(String id, String via) {
    public static final Actor SYSTEM = new Actor("system", null);

    public Actor {
        Objects.requireNonNull(id, "id");
    }

    public static Actor of(String id) {
        return new Actor(id, null);
    }
}
