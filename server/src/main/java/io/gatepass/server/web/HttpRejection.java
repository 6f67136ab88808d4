package io.gatepass.server.web;

/**
 * A request refused before any endpoint logic (too large, wrong method, unknown path). It is answered in the
 * error format of the path: RFC 6749 JSON on OAuth endpoints, RFC 9457 problem details on the management API.
 */
public final class HttpRejection extends RuntimeException {
    private final int status;
    private final String allow;
    private final boolean closeConnection;

    public HttpRejection(int status, String message) {
        this(status, message, null);
    }

    public HttpRejection(int status, String message, String allow) {
        this(status, message, allow, false);
    }

    private HttpRejection(int status, String message, String allow, boolean closeConnection) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
        this.closeConnection = closeConnection;
    }

    /** A request whose framing cannot be trusted: answered, then the connection is closed, unread rest and all. */
    public static HttpRejection closing(int status, String message) {
        return new HttpRejection(status, message, null, true);
    }

    public boolean closeConnection() {
        return closeConnection;
    }

    public int status() {
        return status;
    }

    /** The {@code Allow} header of a 405, or {@code null}. */
    public String allow() {
        return allow;
    }
}
