package io.gatepass.client;

/**
 * The token endpoint refused, or could not be reached after the retries.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class TokenRequestException extends RuntimeException {
    private final int status;
    private final String error;
    private final boolean retryable;

    TokenRequestException(int status, String error, String description, boolean retryable, Throwable cause) {
        super(error == null ? description : error + ": " + description, cause);
        this.status = status;
        this.error = error;
        this.retryable = retryable;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The RFC 6749 §5.2 error code ({@code invalid_client}, {@code invalid_scope}, …), or {@code null}. */
    public String error() {
        return error;
    }

    /** Whether asking again later may succeed (server errors, 429, network); configuration errors are not. */
    public boolean retryable() {
        return retryable;
    }
}
