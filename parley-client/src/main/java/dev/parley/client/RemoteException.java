package dev.parley.client;

import dev.parley.ParleyException;

import java.util.Optional;

/**
 * The server could not be reached, or answered with an error that has no counterpart in the library (a model
 * provider's failure, an internal error, a status this client does not know). {@link #status()} is the HTTP status
 * ({@code 0} when no answer came), {@link #code()} the server's error code ({@code unreachable}, {@code timeout}
 * when no answer came). Errors the library also has arrive as the library's exceptions instead
 * ({@link dev.parley.NotFoundException}, {@link dev.parley.ConflictException} …).
 *
 * <p>When no answer came, a write may or may not have landed: retry it with the same idempotency key
 * ({@link dev.parley.WriteOptions#idempotent}) and it lands once.
 */
public class RemoteException extends ParleyException {
    private final int status;
    private final String code;
    private final String requestId;

    public RemoteException(int status, String code, String message, String requestId) {
        super(message);
        this.status = status;
        this.code = code;
        this.requestId = requestId;
    }

    public RemoteException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.requestId = null;
    }

    /** The HTTP status, or 0 when the server gave no answer. */
    public int status() {
        return status;
    }

    /** The server's machine-readable error code, e.g. {@code model_unavailable}, {@code internal}, {@code timeout}. */
    public String code() {
        return code;
    }

    /** The server's id of the failed request (its log has the details under it). */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Whether the same request may succeed later: no answer, 429, 502, 503 or 504. */
    public boolean retriable() {
        return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
    }
}
