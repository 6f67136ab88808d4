package io.gatepass.server.oauth;

/**
 * An OAuth protocol error: the RFC 6749 §5.2 code, the HTTP status, a public description that tells the
 * client what it did wrong, and a private detail for the log only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuthError extends RuntimeException {
    private final String code;
    private final int status;
    private final String description;
    private final boolean basicAttempted;

    private OAuthError(String code, int status, String description, String detail, boolean basicAttempted) {
        super(detail == null ? code + ": " + description : code + ": " + description + " (" + detail + ")", null, false, false);
        this.code = code;
        this.status = status;
        this.description = description;
        this.basicAttempted = basicAttempted;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", 400, description, null, false);
    }

    /** RFC 6749 §5.2: 401, and {@code WWW-Authenticate} when the client tried the Authorization header. */
    public static OAuthError invalidClient(String description, boolean basicAttempted) {
        return new OAuthError("invalid_client", 401, description, null, basicAttempted);
    }

    public static OAuthError invalidClient(String description, String detail, boolean basicAttempted) {
        return new OAuthError("invalid_client", 401, description, detail, basicAttempted);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", 400, description, null, false);
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", 400, description, null, false);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", 400, description, null, false);
    }

    /** RFC 8707 §2: the requested resource (API) is unknown or not granted. */
    public static OAuthError invalidTarget(String description) {
        return new OAuthError("invalid_target", 400, description, null, false);
    }

    /** An OAuth-style error with a non-standard status, for transport problems (413, 405, 415). */
    public static OAuthError invalidRequest(int status, String description) {
        return new OAuthError("invalid_request", status, description, null, false);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String description() {
        return description;
    }

    public boolean basicAttempted() {
        return basicAttempted;
    }
}
