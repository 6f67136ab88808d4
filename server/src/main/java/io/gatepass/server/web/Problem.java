package io.gatepass.server.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A management-API error as RFC 9457 problem details: status, a detail that says what was wrong and,
 * for a bad field, which field.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a>
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String detail;
    private final Map<String, Object> extensions;
    private final String wwwAuthenticate;

    private Problem(int status, String detail, Map<String, Object> extensions, String wwwAuthenticate) {
        super(status + " " + detail, null, false, false);
        this.status = status;
        this.detail = detail;
        this.extensions = extensions;
        this.wwwAuthenticate = wwwAuthenticate;
    }

    public static Problem of(int status, String detail) {
        return new Problem(status, detail, Map.of(), null);
    }

    /** 400 naming the offending field (a JSON pointer-ish dotted path such as {@code scopes[2].value}). */
    public static Problem badField(String field, String detail) {
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("field", field);
        return new Problem(400, field + ": " + detail, ext, null);
    }

    public static Problem badRequest(String detail) {
        return of(400, detail);
    }

    public static Problem notFound(String detail) {
        return of(404, detail);
    }

    public static Problem conflict(String detail) {
        return of(409, detail);
    }

    /** 401 with an RFC 6750 §3 challenge. */
    public static Problem unauthorized(String detail) {
        String challenge = "Bearer realm=\"gatepass\", error=\"invalid_token\", error_description=\""
                + detail.replace("\"", "'") + "\"";
        return new Problem(401, detail, Map.of(), challenge);
    }

    /** 401 without a token: RFC 6750 §3.1 says no error code then. */
    public static Problem tokenMissing() {
        return new Problem(401, "an access token for the management API is required (Authorization: Bearer …)",
                Map.of(), "Bearer realm=\"gatepass\"");
    }

    /** 403 with an RFC 6750 §3.1 insufficient_scope challenge. */
    public static Problem insufficientScope(String scope) {
        String challenge = "Bearer realm=\"gatepass\", error=\"insufficient_scope\", scope=\"" + scope + "\"";
        return new Problem(403, "the access token lacks the scope " + scope, Map.of("required_scope", scope), challenge);
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
