package io.gatepass.server.limits;

/**
 * A limit's decision that a request must wait: why, in words for the caller, and for how long. The protocol layer
 * turns it into its own error (RFC 6585 429 with {@code Retry-After}).
 */
public record Limited(String reason, long retryAfterSeconds) {
}
