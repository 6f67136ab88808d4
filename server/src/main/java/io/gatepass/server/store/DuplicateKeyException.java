package io.gatepass.server.store;

/** A unique constraint refused a write: the thing already exists. */
public final class DuplicateKeyException extends RuntimeException {
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
