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
    private final String scheme;
    private final String dpopAlgs;

    TokenVerificationException(int status, String error, String description, String requiredScope, String realm) {
        this(status, error, description, requiredScope, realm, "Bearer", null);
    }

    /**
     * @param scheme   the scheme the request used ({@code Bearer} or {@code DPoP}), whose challenge carries the error
     * @param dpopAlgs the DPoP algorithms accepted, space-separated, for the DPoP challenge (RFC 9449 §7.1), or
     *                 {@code null} when DPoP is not offered
     */
    TokenVerificationException(int status, String error, String description, String requiredScope, String realm,
                               String scheme, String dpopAlgs) {
        super(error == null ? description : error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.requiredScope = requiredScope;
        this.realm = realm;
        this.scheme = scheme;
        this.dpopAlgs = dpopAlgs;
    }

    /** The same refusal, answered in the scheme the request used and with the DPoP challenge offered. */
    TokenVerificationException as(String scheme, String dpopAlgs) {
        return new TokenVerificationException(status, error, description, requiredScope, realm, scheme, dpopAlgs);
    }

    /** RFC 9449 §7.1: a proof that fails its checks, or a DPoP-bound token without its proof, is 401 invalid_dpop_proof. */
    static TokenVerificationException invalidDpopProof(String description, String realm, String dpopAlgs) {
        return new TokenVerificationException(401, "invalid_dpop_proof", description, null, realm, "DPoP", dpopAlgs);
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

    /**
     * The {@code WWW-Authenticate} value to answer with (RFC 6750 §3): the challenge of the scheme the request used
     * carries the error; where DPoP is offered a {@code DPoP} challenge with its {@code algs} is there too (RFC 9449
     * §7.1), so a client learns it may send one.
     */
    public String wwwAuthenticate() {
        String bearer = challenge("Bearer", scheme.equals("Bearer"));
        if (dpopAlgs == null) return bearer;
        String dpop = challenge("DPoP", scheme.equals("DPoP")) + ", algs=\"" + dpopAlgs + "\"";
        return scheme.equals("DPoP") ? dpop + ", " + bearer : bearer + ", " + dpop;
    }

    private String challenge(String name, boolean withError) {
        StringBuilder value = new StringBuilder(name).append(" realm=\"").append(quoted(realm)).append('"');
        if (withError && error != null) {
            value.append(", error=\"").append(error).append('"');
            value.append(", error_description=\"").append(quoted(description)).append('"');
        }
        if (withError && requiredScope != null) value.append(", scope=\"").append(quoted(requiredScope)).append('"');
        return value.toString();
    }

    /** RFC 6750 §3: the values are quoted-strings of printable ASCII without '"' and '\'. */
    private static String quoted(String text) {
        StringBuilder clean = new StringBuilder();
        for (char c : text.toCharArray()) clean.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '\'');
        return clean.toString();
    }
}
