package dev.parley.server.internal;

import java.util.Map;

/**
 * An error the API reports as it is: an HTTP status, a stable machine-readable code, a message for people
 * and, for some, headers (Retry-After) or details (requested/available tokens). Thrown by the server's own
 * checks (auth, rate limits, request shape); the domain's exceptions are mapped in {@link ErrorMapper}.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;
    private final Map<String, Object> details;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of(), Map.of());
    }

    ApiException(int status, String code, String message, Map<String, String> headers, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
        this.details = Map.copyOf(details);
    }

    static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, message, Map.of("WWW-Authenticate", "Bearer"), Map.of());
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, Object> details() {
        return details;
    }
}
