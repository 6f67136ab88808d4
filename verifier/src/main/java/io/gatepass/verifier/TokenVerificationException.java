package io.gatepass.verifier;

/**
 * A refused request, as RFC 6750 §3 wants it answered: the status, the error code and the
 * {@code WWW-Authenticate} header value.
 */
public final class TokenVerificationException extends RuntimeException {
    private final int status;
    private final String error;
    private final String description;
    private final String requiredScope;
    private final String realm;

    TokenVerificationException(int status, String error, String description, String requiredScope, String realm) {
        super(error == null ? description : error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.requiredScope = requiredScope;
        this.realm = realm;
    }

    /** RFC 6750 §3.1: no credentials at all is 401 without an error code. */
    static TokenVerificationException missing(String realm) {
        return new TokenVerificationException(401, null, "an access token is required", null, realm);
    }

    static TokenVerificationException invalidRequest(String description, String realm) {
        return new TokenVerificationException(400, "invalid_request", description, null, realm);
    }

    static TokenVerificationException invalidToken(String description, String realm) {
        return new TokenVerificationException(401, "invalid_token", description, null, realm);
    }

    static TokenVerificationException insufficientScope(String scope, String realm) {
        return new TokenVerificationException(403, "insufficient_scope", "the token lacks scope " + scope, scope, realm);
    }

    /** 400, 401 or 403. */
    public int status() {
        return status;
    }

    /** {@code invalid_request}, {@code invalid_token}, {@code insufficient_scope}, or {@code null} for a missing token. */
    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    /** The {@code WWW-Authenticate} value to answer with (RFC 6750 §3). */
    public String wwwAuthenticate() {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(quoted(realm)).append('"');
        if (error != null) {
            value.append(", error=\"").append(error).append('"');
            value.append(", error_description=\"").append(quoted(description)).append('"');
        }
        if (requiredScope != null) value.append(", scope=\"").append(quoted(requiredScope)).append('"');
        return value.toString();
    }

    /** RFC 6750 §3: the values are quoted-strings of printable ASCII without '"' and '\'. */
    private static String quoted(String text) {
        StringBuilder clean = new StringBuilder();
        for (char c : text.toCharArray()) clean.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '\'');
        return clean.toString();
    }
}
