package io.gatepass.server.oauth;

/**
 * An OAuth protocol error: the RFC 6749 §5.2 code, the HTTP status, a public description that tells the
 * client what it did wrong, and a private detail for the log only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuthError extends RuntimeException {
    private static final String BASIC_CHALLENGE = "Basic realm=\"gatepass\", charset=\"UTF-8\"";
    private final String code;
    private final int status;
    private final String description;
    private final String challenge;
    private final long retryAfterSeconds;
    private String dpopNonce;

    private OAuthError(String code, int status, String description, String detail, boolean basicAttempted) {
        this(code, status, description, detail, basicAttempted, 0);
    }

    private OAuthError(String code, int status, String description, String detail, boolean basicAttempted,
                       long retryAfterSeconds) {
        this(code, status, description, detail, basicAttempted ? BASIC_CHALLENGE : null, retryAfterSeconds);
    }

    private OAuthError(String code, int status, String description, String detail, String challenge,
                       long retryAfterSeconds) {
        super(detail == null ? code + ": " + description : code + ": " + description + " (" + detail + ")", null, false, false);
        this.code = code;
        this.status = status;
        this.description = description;
        this.challenge = challenge;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * 429 with {@code Retry-After} (RFC 6585 §4). RFC 6749 has no code for it; {@code too_many_requests} is the one
     * Auth0 answers with, in the same JSON shape as every other error here.
     */
    /** A limit's decision that the request must wait, or nothing when {@code limited} is {@code null}. */
    static void limitCheck(io.gatepass.server.limits.Limited limited) {
        if (limited != null) throw tooManyRequests(limited.reason(), limited.retryAfterSeconds());
    }

    public static OAuthError tooManyRequests(String description, long retryAfterSeconds) {
        return new OAuthError("too_many_requests", 429, description, null, false, Math.max(1, retryAfterSeconds));
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

    /**
     * A bearer-token refusal (RFC 6750 §3): 401 {@code invalid_token}, or 403 {@code insufficient_scope}, with its
     * challenge; without a token at all the challenge names no error (§3.1).
     */
    public static OAuthError bearer(int status, String code, String description, boolean tokenGiven) {
        String challenge = tokenGiven
                ? "Bearer realm=\"gatepass\", error=\"" + code + "\", error_description=\"" + description.replace("\"", "'") + "\""
                : "Bearer realm=\"gatepass\"";
        return new OAuthError(code, status, description, null, challenge, 0);
    }

    /** RFC 7591 §3.2.2 {@code invalid_client_metadata}, {@code invalid_redirect_uri}: 400. */
    public static OAuthError registration(String code, String description) {
        return new OAuthError(code, 400, description, null, false);
    }

    /** RFC 9449 §7.1: 400 {@code invalid_dpop_proof}, saying which check the proof failed. */
    public static OAuthError invalidDpopProof(String description) {
        return new OAuthError("invalid_dpop_proof", 400, description, null, false);
    }

    /** RFC 9449 §8: 400 {@code use_dpop_nonce} with the nonce to use in the {@code DPoP-Nonce} header. */
    public static OAuthError useDpopNonce(String description, String nonce) {
        OAuthError error = new OAuthError("use_dpop_nonce", 400, description, null, false);
        error.dpopNonce = nonce;
        return error;
    }

    /** The nonce for a {@code DPoP-Nonce} header, or {@code null}. */
    public String dpopNonce() {
        return dpopNonce;
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

    /** The {@code WWW-Authenticate} challenge to answer with, or {@code null}. */
    public String challenge() {
        return challenge;
    }

    /** Seconds for {@code Retry-After}, or 0 when the answer is not worth retrying as is. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
