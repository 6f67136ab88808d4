package io.gatepass.server.http;

/**
 * A request refused before any endpoint logic (too large, wrong method, unknown path). It is answered in the
 * error format of the path: RFC 6749 JSON on OAuth endpoints, RFC 9457 problem details on the management API.
 */
public final class HttpRejection extends RuntimeException {
    private final int status;
    private final String allow;

    public HttpRejection(int status, String message) {
        this(status, message, null);
    }

    public HttpRejection(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    public int status() {
        return status;
    }

    /** The {@code Allow} header of a 405, or {@code null}. */
    public String allow() {
        return allow;
    }
}
