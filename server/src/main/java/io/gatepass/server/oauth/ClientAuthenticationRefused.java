package io.gatepass.server.oauth;

/**
 * A client authentication that proved nothing: the reason code for metrics and the audit log, what the caller is
 * told, and the client_id it named ({@code null} when no app could have it, so that made-up ids fill no log).
 */
public final class ClientAuthenticationRefused extends Exception {
    private final String reason;
    private final String clientId;
    private final boolean basicAttempted;

    public ClientAuthenticationRefused(String reason, String description, String clientId, boolean basicAttempted) {
        super(description, null, false, false);
        this.reason = reason;
        this.clientId = clientId;
        this.basicAttempted = basicAttempted;
    }

    public ClientAuthenticationRefused(String reason, String description, String clientId) {
        this(reason, description, clientId, false);
    }

    public String reason() {
        return reason;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * Whether it could be a guess at credentials, and so counts towards throttling: a blocked app or the right
     * credentials for another method are no guess.
     */
    boolean guess() {
        return !reason.equals("app_blocked") && !reason.equals("wrong_method");
    }

    /** RFC 6749 §5.2 {@code invalid_client}, with {@code WWW-Authenticate: Basic} when Basic was tried. */
    OAuthError error() {
        return OAuthError.invalidClient(getMessage(), "client_id=" + clientId + " reason=" + reason, basicAttempted);
    }
}
