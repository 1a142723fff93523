package dev.parley;

/** The idempotency key was used before with a different request; nothing was changed (HTTP 422). */
public final class IdempotencyMismatchException extends ParleyException {
    public IdempotencyMismatchException(String message) {
        super(message);
    }
}
