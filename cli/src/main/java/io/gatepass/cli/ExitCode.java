package io.gatepass.cli;

/** What {@code gatepass} exits with, so that scripts can tell failures apart. Listed in docs/cli.md. */
final class ExitCode {
    static final int OK = 0;
    /** The server failed (5xx) or answered something unexpected. */
    static final int FAILURE = 1;
    /** The command line was wrong (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** The app's credentials were refused, or its token lacks the scope (401, 403, invalid_client). */
    static final int AUTH = 3;
    /** What the command names does not exist (404). */
    static final int NOT_FOUND = 4;
    /** The change conflicts with the current state (409), e.g. a taken identifier. */
    static final int CONFLICT = 5;
    /** The server could not be reached. */
    static final int UNREACHABLE = 6;
    /** The server refused the request as invalid (400, 413, 415), e.g. an unknown scope. */
    static final int INVALID = 7;
    /** {@code gatepass introspect}: the token is not active. */
    static final int INACTIVE = 8;

    private ExitCode() {
    }

    static int forStatus(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 400, 405, 413, 415, 422 -> INVALID;
            default -> FAILURE;
        };
    }
}
