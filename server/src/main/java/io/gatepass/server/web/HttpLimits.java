package io.gatepass.server.web;

/** Bounds on every input, so that no request can make the server do unbounded work. */
public final class HttpLimits {
    /** Largest request body accepted; more is answered 413. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Largest single parameter value (a client assertion with a certificate chain fits). */
    public static final int MAX_PARAMETER_LENGTH = 16 * 1024;
    /** Most parameters in one form or JSON body. */
    public static final int MAX_PARAMETERS = 64;
    /** Most entries in a list such as an API's scopes. */
    public static final int MAX_LIST_SIZE = 200;
    /** Page size of management list calls: default and largest. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;

    private HttpLimits() {
    }
}
