package dev.parley.client;

import java.time.Duration;
import java.util.Optional;

/** The credential made more requests than the server's rate limit allows (429); retry after {@link #retryAfter()}. */
public final class RateLimitedException extends RemoteException {
    private final Duration retryAfter;

    public RateLimitedException(String code, String message, String requestId, Duration retryAfter) {
        super(429, code, message, requestId);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked to wait, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
