package io.gatepass.server.manage;

import java.util.Optional;

/**
 * One field of a change: left as it is, or set to a value ({@code null} clears a field that may be empty, as a
 * JSON {@code null} does in a management-API {@code PATCH}).
 */
public record Patch<T>(boolean given, T value) {
    private static final Patch<?> KEEP = new Patch<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Patch<T> keep() {
        return (Patch<T>) KEEP;
    }

    public static <T> Patch<T> to(T value) {
        return new Patch<>(true, value);
    }

    /** Set when the value is there, kept otherwise: for a field that cannot be cleared. */
    public static <T> Patch<T> ifPresent(Optional<T> value) {
        return value.map(Patch::to).orElseGet(Patch::keep);
    }

    /** The field after the change. */
    public T applyTo(T before) {
        return given ? value : before;
    }

    /** The field after the change, for a field that cannot be cleared: a {@code null} value keeps it. */
    public T applyUnlessNull(T before) {
        return given && value != null ? value : before;
    }
}
