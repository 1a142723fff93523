package dev.parley.models;

import dev.parley.ParleyException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model call failed. Closed set, grouped by whether a retry can help ({@link #isRetriable()}):
 * <ul>
 *   <li>retriable: {@link RateLimited} (unless the account's quota is exhausted), {@link ProviderUnavailable},
 *       {@link Timeout};</li>
 *   <li>not retriable: {@link AuthenticationFailed}, {@link BadRequest}, {@link ContextLengthExceeded},
 *       {@link MalformedResponse}.</li>
 * </ul>
 * Messages name the provider and the HTTP status, carry the provider's own explanation, and never contain the
 * API key (adapters redact it even when a provider echoes it back).
 */
public abstract sealed class ModelException extends ParleyException {
    private final String provider;
    private final int status;
    private final String errorCode;
    private final String requestId;

    private ModelException(String provider, String message, int status, String errorCode, String requestId, Throwable cause) {
        super(message, cause);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.status = status;
        this.errorCode = errorCode;
        this.requestId = requestId;
    }

    /** Whether the same call may succeed if made again later. */
    public abstract boolean isRetriable();

    /** The provider that failed, as {@link ChatModel#provider()} names it. */
    public String provider() {
        return provider;
    }

    /** The HTTP status of the failed response; empty when there was none (timeout, connection failure, stream error). */
    public OptionalInt status() {
        return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
    }

    /** The provider's machine-readable error type or code ({@code context_length_exceeded}, {@code overloaded_error} …). */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The provider's request id, to quote to its support. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Too many requests or tokens for now (HTTP 429); {@link #retryAfter()} says how long the provider asked to wait. */
    public static final class RateLimited extends ModelException {
        private final Duration retryAfter;
        private final boolean quotaExhausted;

        public RateLimited(String provider, String message, int status, String errorCode, String requestId,
                           Duration retryAfter, boolean quotaExhausted) {
            super(provider, message, status, errorCode, requestId, null);
            this.retryAfter = retryAfter;
            this.quotaExhausted = quotaExhausted;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        /** The account ran out of credit or quota (OpenAI's {@code insufficient_quota}): waiting will not help. */
        public boolean quotaExhausted() {
            return quotaExhausted;
        }

        @Override
        public boolean isRetriable() {
            return !quotaExhausted;
        }
    }

    /** The provider is down, overloaded or failed internally (5xx, Anthropic's 529), or could not be reached. */
    public static final class ProviderUnavailable extends ModelException {
        public ProviderUnavailable(String provider, String message, int status, String errorCode, String requestId, Throwable cause) {
            super(provider, message, status, errorCode, requestId, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** No (complete) answer within the configured timeout. */
    public static final class Timeout extends ModelException {
        public Timeout(String provider, String message, Throwable cause) {
            super(provider, message, 0, null, null, cause);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** The API key is missing, wrong, revoked, or lacks permission (HTTP 401/403). */
    public static final class AuthenticationFailed extends ModelException {
        public AuthenticationFailed(String provider, String message, int status, String errorCode, String requestId) {
            super(provider, message, status, errorCode, requestId, null);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /** The provider rejected the request (unknown model, invalid parameter, malformed history …). */
    public static final class BadRequest extends ModelException {
        public BadRequest(String provider, String message, int status, String errorCode, String requestId) {
            super(provider, message, status, errorCode, requestId, null);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /** The prompt (plus the reply's max tokens) does not fit the model's context window, or the request is too large. */
    public static final class ContextLengthExceeded extends ModelException {
        public ContextLengthExceeded(String provider, String message, int status, String errorCode, String requestId) {
            super(provider, message, status, errorCode, requestId, null);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /**
     * The provider answered with something that is not its wire format (broken JSON, a truncated stream, an HTML
     * page from a proxy, a base URL pointing at another kind of server).
     */
    public static final class MalformedResponse extends ModelException {
        public MalformedResponse(String provider, String message, int status, Throwable cause) {
            super(provider, message, status, null, null, cause);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }
}
