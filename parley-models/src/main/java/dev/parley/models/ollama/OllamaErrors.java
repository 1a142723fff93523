package dev.parley.models.ollama;

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
 * The one place where Ollama failures become typed exceptions. Ollama answers {@code {"error": "<message>"}} with the
 * status (404 for a model that is not pulled, 400 for a bad request, 500 when the model runner fails, 503 when its
 * queue is full; Ollama's cloud adds 401/403 and 429). There is no error type, so a context overflow is recognised
 * by its wording. An error line inside a stream (after a 200) is a failure of the running model: retriable, unless
 * it is a context overflow.
 */
final class OllamaErrors implements ErrorMapper {
    private final String provider;
    private final Clock clock;
    private final Secret secret;

    OllamaErrors(String provider, Clock clock, Secret secret) {
        this.provider = provider;
        this.clock = clock;
        this.secret = secret;
    }

    @Override
    public ModelException map(int status, String body, HttpHeaders headers) {
        String message = message(body);
        if (status == 413 || (status == 400 || status == 500) && isContextOverflow(message)) {
            return new ModelException.ContextLengthExceeded(provider, text("context length exceeded", status, message),
                    status, null, null);
        }
        if (status == 401 || status == 403) {
            return new ModelException.AuthenticationFailed(provider, text("authentication failed", status, message),
                    status, null, null);
        }
        if (status == 429) {
            Duration retryAfter = RetryAfter.from(headers, clock).orElse(null);
            return new ModelException.RateLimited(provider, text("rate limited", status, message)
                    + (retryAfter != null ? " (retry after " + retryAfter + ")" : ""), status, null, null, retryAfter, false);
        }
        if (status == 408 || status == 409 || status >= 500) {
            return new ModelException.ProviderUnavailable(provider, text("unavailable", status, message), status, null,
                    null, null);
        }
        return new ModelException.BadRequest(provider, text(status == 404 ? "not found" : "bad request", status, message),
                status, null, null);
    }

    /** An {@code error} line of a stream that had started (status 200). */
    ModelException fromStreamError(String error) {
        String message = secret.redact(error);
        String text = provider + ": the stream failed: " + message;
        if (isContextOverflow(message)) {
            return new ModelException.ContextLengthExceeded(provider, text, 0, null, null);
        }
        return new ModelException.ProviderUnavailable(provider, text, 0, null, null, null);
    }

    private static boolean isContextOverflow(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("context length") || text.contains("context window") || text.contains("exceeds the context");
    }

    private String text(String what, int status, String message) {
        return provider + ": " + what + " (HTTP " + status + "): " + message;
    }

    /** Ollama's {@code error} string (or an OpenAI-style object's message, from a proxy); else the body's start. */
    private String message(String body) {
        JsonNode root;
        try {
            root = ParleyJson.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            return WireJson.snippet(body, secret);
        }
        JsonNode error = root == null ? null : root.get("error");
        if (error != null && error.isString()) {
            return secret.redact(error.stringValue());
        }
        if (error != null && error.path("message").isString()) {
            return secret.redact(error.get("message").stringValue());
        }
        return WireJson.snippet(body, secret);
    }
}
