package dev.parley.models.openai;

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

/**
 * The one place where OpenAI (and compatible servers') failures become typed exceptions. Reads OpenAI's
 * {@code {"error": {"message", "type", "code"}}}, vLLM's top-level {@code {"message", "type"}} and plain text.
 * A context overflow is recognised by the {@code context_length_exceeded} code or the "maximum context length"
 * wording compatible servers copy; {@code insufficient_quota} is a 429 that waiting does not fix.
 */
final class OpenAiErrors implements ErrorMapper {
    private final String provider;
    private final Clock clock;
    private final Secret secret;

    OpenAiErrors(String provider, Clock clock, Secret secret) {
        this.provider = provider;
        this.clock = clock;
        this.secret = secret;
    }

    private record Details(String message, String code) {
    }

    @Override
    public ModelException map(int status, String body, HttpHeaders headers) {
        Details details = details(body);
        String requestId = headers.firstValue("x-request-id").orElse(null);
        String code = details.code();
        if (status == 413 || (status == 400 || status == 422) && isContextOverflow(details)) {
            return new ModelException.ContextLengthExceeded(provider, message("context length exceeded", status, details),
                    status, code, requestId);
        }
        if (status == 401 || status == 403) {
            return new ModelException.AuthenticationFailed(provider, message("authentication failed", status, details),
                    status, code, requestId);
        }
        if (status == 429) {
            boolean quota = "insufficient_quota".equals(code);
            Duration retryAfter = quota ? null : RetryAfter.from(headers, clock).orElse(null);
            String text = message(quota ? "quota exhausted" : "rate limited", status, details)
                    + (retryAfter != null ? " (retry after " + retryAfter + ")" : "");
            return new ModelException.RateLimited(provider, text, status, code, requestId, retryAfter, quota);
        }
        if (status == 408 || status == 409 || status >= 500) {
            return new ModelException.ProviderUnavailable(provider, message("unavailable", status, details), status, code,
                    requestId, null);
        }
        return new ModelException.BadRequest(provider, message("bad request", status, details), status, code, requestId);
    }

    /** An {@code error} object inside a stream chunk, classified by its type or code (there is no status). */
    ModelException fromStreamError(JsonNode error) {
        Details details = details(ParleyJson.object().set("error", error), ParleyJson.write(error));
        String code = details.code() == null ? "" : details.code();
        String text = provider + ": the stream failed (" + (code.isEmpty() ? "error" : code) + "): " + details.message();
        if (isContextOverflow(details)) {
            return new ModelException.ContextLengthExceeded(provider, text, 0, details.code(), null);
        }
        return switch (code) {
            case "rate_limit_exceeded", "rate_limit_error" ->
                    new ModelException.RateLimited(provider, text, 0, code, null, null, false);
            case "invalid_request_error", "invalid_value", "invalid_type" ->
                    new ModelException.BadRequest(provider, text, 0, code, null);
            default -> new ModelException.ProviderUnavailable(provider, text, 0, details.code(), null, null);
        };
    }

    private static boolean isContextOverflow(Details details) {
        String text = details.message().toLowerCase(Locale.ROOT);
        return "context_length_exceeded".equals(details.code()) || text.contains("maximum context length")
                || text.contains("context length exceeded") || text.contains("context window");
    }

    private String message(String what, int status, Details details) {
        return provider + ": " + what + " (HTTP " + status + (details.code() != null ? ", " + details.code() : "") + "): "
                + details.message();
    }

    private Details details(String body) {
        JsonNode root;
        try {
            root = ParleyJson.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            return new Details(WireJson.snippet(body, secret), null);
        }
        return root != null && root.isObject() ? details(root, body) : new Details(WireJson.snippet(body, secret), null);
    }

    private Details details(JsonNode root, String body) {
        JsonNode error = root.path("error");
        JsonNode source = error.isObject() ? error : root;
        String message = error.isString() ? error.stringValue() : WireJson.text(source, "message", null);
        JsonNode codeNode = source.get("code");
        String code = codeNode != null && codeNode.isString() ? codeNode.stringValue() : WireJson.text(source, "type", null);
        // the code is quoted in messages too, and a stream's error chunk has not been redacted before
        return new Details(message != null ? secret.redact(message) : WireJson.snippet(body, secret), secret.redact(code));
    }
}
