package io.gatepass.server.manage;

import io.gatepass.server.web.Problem;

/** Range checks on the typed values of a management change; each refusal names the field. */
final class Checks {
    private Checks() {
    }

    /** {@code value} unless it is outside {@code [min, max]}; {@code null} (not set) passes. */
    static Integer within(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw Problem.badField(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
