package io.gatepass.spring;

/** The {@code gatepass.*} properties do not make a working set-up; the message says which to set. */
public final class GatepassPropertiesException extends RuntimeException {
    private final String action;

    GatepassPropertiesException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** What to change. */
    public String action() {
        return action;
    }
}
