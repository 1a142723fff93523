package dev.parley.models.anthropic;

import dev.parley.json.ParleyJson;
import dev.parley.models.ModelException;
import dev.parley.models.internal.ErrorMapper;
import dev.parley.models.internal.RetryAfter;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The one place where Anthropic failures become typed exceptions, from the status and the
 * {@code {"type": "error", "error": {"type", "message"}}} body: {@code invalid_request_error} saying the prompt is
 * too long (and 413 {@code request_too_large}) is a context overflow; {@code overloaded_error} (529) and
 * {@code api_error} (500) are retriable; {@code billing_error} is a rate limit that waiting does not fix.
 */
final class AnthropicErrors implements ErrorMapper {
    private final String provider;
    private final Clock clock;
    private final Secret secret;

    AnthropicErrors(String provider, Clock clock, Secret secret) {
        this.provider = provider;
        this.clock = clock;
        this.secret = secret;
    }

    private record Details(String message, String type, String requestId) {
    }

    @Override
    public ModelException map(int status, String body, HttpHeaders headers) {
        Details details = details(body);
        String requestId = headers.firstValue("request-id").orElse(details.requestId());
        return classify(status, status, details, headers, requestId);
    }

    /** An {@code error} event inside a stream: classified by its type alone (the stream's status was 200). */
    ModelException fromStreamError(JsonNode error) {
        Details details = details(ParleyJson.object().put("type", "error").set("error", error), ParleyJson.write(error));
        int status = switch (details.type() == null ? "" : details.type()) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
        return classify(status, 0, details, HttpHeaders.of(Map.of(), (name, value) -> true), details.requestId());
    }

    /** {@code status} decides the type; {@code shown} is the HTTP status to report (0: the failure came in a stream). */
    private ModelException classify(int status, int shown, Details details, HttpHeaders headers, String requestId) {
        String type = details.type();
        if (status == 413 || "request_too_large".equals(type) || status == 400 && isContextOverflow(details.message())) {
            return new ModelException.ContextLengthExceeded(provider, message("context length exceeded", shown, details),
                    shown, type, requestId);
        }
        if (status == 401 || status == 403) {
            return new ModelException.AuthenticationFailed(provider, message("authentication failed", shown, details),
                    shown, type, requestId);
        }
        if (status == 402 || "billing_error".equals(type)) {
            return new ModelException.RateLimited(provider, message("billing limit reached", shown, details), shown, type,
                    requestId, null, true);
        }
        if (status == 429) {
            Duration retryAfter = RetryAfter.from(headers, clock).orElse(null);
            String text = message("rate limited", shown, details) + (retryAfter != null ? " (retry after " + retryAfter + ")" : "");
            return new ModelException.RateLimited(provider, text, shown, type, requestId, retryAfter, false);
        }
        if (status == 408 || status == 409 || status >= 500) {
            return new ModelException.ProviderUnavailable(provider,
                    message(status == 529 ? "overloaded" : "unavailable", shown, details), shown, type, requestId, null);
        }
        return new ModelException.BadRequest(provider, message("bad request", shown, details), shown, type, requestId);
    }

    private static boolean isContextOverflow(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("prompt is too long") || text.contains("exceed context limit")
                || text.contains("context window") || text.contains("context length");
    }

    private String message(String what, int shown, Details details) {
        return provider + ": " + what + " (" + (shown > 0 ? "HTTP " + shown : "stream error")
                + (details.type() != null ? ", " + details.type() : "") + "): " + details.message();
    }

    private Details details(String body) {
        try {
            JsonNode root = ParleyJson.mapper().readTree(body == null ? "" : body);
            if (root != null && root.isObject()) {
                return details(root, body);
            }
        } catch (JacksonException e) {
            return new Details(WireJson.snippet(body, secret), null, null);
        }
        return new Details(WireJson.snippet(body, secret), null, null);
    }

    private Details details(JsonNode root, String body) {
        JsonNode error = root.path("error");
        String message = WireJson.text(error, "message", null);
        return new Details(message != null ? secret.redact(message) : WireJson.snippet(body, secret),
                // the type is quoted in messages too, and a stream's error event has not been redacted before
                secret.redact(WireJson.text(error, "type", null)), WireJson.text(root, "request_id", null));
    }
}
