package dev.parley.client;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.ParleyException;
import dev.parley.StoreException;
import dev.parley.context.QuotaExceededException;
import dev.parley.json.ParleyJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Optional;

/**
 * The one place the server's errors ({@code {"error": {"code", "message", "requestId", …}}}) become exceptions:
 * the library's own where it has one, so code handling errors of a local session handles a remote one's alike.
 */
final class Errors {
    private Errors() {
    }

    static ParleyException map(int status, String body, Optional<String> retryAfter) {
        JsonNode error = errorOf(body);
        if (error == null) {
            return new RemoteException(status, "http_" + status, "the server answered HTTP " + status
                    + " without a Parley error body (is the base URL a Parley server?)", (String) null);
        }
        String code = text(error, "code", "http_" + status);
        String message = text(error, "message", "HTTP " + status);
        String requestId = text(error, "requestId", null);
        return switch (status) {
            case 400, 413 -> new InvalidInputException(text(error, "field", status == 413 ? "body" : "request"), message);
            case 401, 403 -> new AccessDeniedException(status, code, message, requestId);
            case 404 -> new NotFoundException(message);
            case 409 -> conflict(code, message, requestId);
            case 422 -> switch (code) {
                case "idempotency_mismatch" -> new IdempotencyMismatchException(message);
                case "budget_exceeded" -> new BudgetExceededException(text(error, "budget", "unknown"),
                        error.path("requested").asLong(), error.path("available").asLong());
                case "quota_exceeded" -> new QuotaExceededException(error.path("requested").asLong(),
                        error.path("available").asLong());
                default -> new RemoteException(status, code, message, requestId);
            };
            case 429 -> new RateLimitedException(code, message, requestId, retryAfter.flatMap(Errors::seconds).orElse(null));
            case 503 -> code.equals("store_unavailable") ? new StoreException(message)
                    : new RemoteException(status, code, message, requestId);
            default -> new RemoteException(status, code, message, requestId);
        };
    }

    static Optional<String> code(String body) {
        JsonNode error = errorOf(body);
        return error == null ? Optional.empty() : Optional.ofNullable(text(error, "code", null));
    }

    private static ParleyException conflict(String code, String message, String requestId) {
        ConflictException.Reason reason = switch (code) {
            case "version_conflict" -> ConflictException.Reason.VERSION;
            case "head_conflict" -> ConflictException.Reason.HEAD;
            case "already_exists" -> ConflictException.Reason.ALREADY_EXISTS;
            case "vault_conflict" -> ConflictException.Reason.VAULT;
            case "in_flight" -> ConflictException.Reason.IN_FLIGHT;
            default -> null;
        };
        return reason == null ? new RemoteException(409, code, message, requestId) : new ConflictException(reason, message);
    }

    private static JsonNode errorOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode error = ParleyJson.mapper().readTree(body).get("error");
            return error != null && error.isObject() ? error : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || !value.isString() ? fallback : value.stringValue();
    }

    /** Retry-After in seconds, as the server sends it; an HTTP-date (which proxies may send) is left out. */
    private static Optional<Duration> seconds(String header) {
        String value = header.strip();
        return value.matches("[0-9]{1,9}") ? Optional.of(Duration.ofSeconds(Long.parseLong(value))) : Optional.empty();
    }
}
