package io.gatepass.server;

/**
 * The server cannot start, in one line that says what is wrong and what to do: {@code gatepass serve} prints it
 * without a stack trace. The cause is kept for the debug log only.
 */
public final class StartupException extends RuntimeException {
    /** A setting is wrong (the same exit status as a bad flag). */
    public static final int CONFIGURATION = 2;
    /** The machine or a service is not as the settings need it: a port in use, a database away. */
    public static final int ENVIRONMENT = 1;

    private final int exitCode;

    public StartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The innermost cause's own words, for a message that has nothing better to say. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
