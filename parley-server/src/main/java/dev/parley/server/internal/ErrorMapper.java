package dev.parley.server.internal;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.StoreException;
import dev.parley.context.QuotaExceededException;
import dev.parley.json.ParleyJson;
import dev.parley.models.ModelException;
import dev.parley.security.InvalidSessionTokenException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one place exceptions become HTTP errors: {@code {"error": {"code", "message", "requestId", …}}} with the
 * status the API documents. Anything unexpected is a 500 {@code internal}, logged with its stack trace and the
 * request id; its body carries the request id and nothing of the failure.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    /** An error as the API reports it. */
    record Mapped(int status, String code, String message, Map<String, String> headers, Map<String, Object> details) {
        Mapped(int status, String code, String message) {
            this(status, code, message, Map.of(), Map.of());
        }
    }

    private final long maxBodyBytes;

    ErrorMapper(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    void handle(Exception e, Context ctx) {
        Mapped mapped = map(e);
        String requestId = RequestIds.of(ctx);
        logIfServerFault(mapped, ctx, e);
        mapped.headers().forEach(ctx::header);
        ctx.status(mapped.status()).contentType("application/json").result(body(mapped, requestId));
    }

    /**
     * A 5xx is logged with the request id: an upstream provider's failure or a known condition as one warning line,
     * anything else (a fault of this server) with its stack trace.
     */
    void logIfServerFault(Mapped mapped, Context ctx, Throwable e) {
        if (mapped.status() < 500) {
            return;
        }
        if (e instanceof ModelException || e instanceof ApiException) {
            LOG.warn("request {} {} {} failed: {}: {}", RequestIds.of(ctx), ctx.method(), LogText.escape(ctx.path()),
                    mapped.code(), e.getMessage());
        } else {
            LOG.error("request {} {} {} failed: {}", RequestIds.of(ctx), ctx.method(), LogText.escape(ctx.path()),
                    mapped.code(), e);
        }
    }

    static String body(Mapped mapped, String requestId) {
        ObjectNode root = ParleyJson.object();
        ObjectNode error = root.putObject("error").put("code", mapped.code()).put("message", mapped.message());
        mapped.details().forEach((k, v) -> error.set(k, ParleyJson.mapper().valueToTree(v)));
        if (requestId != null) {
            error.put("requestId", requestId);
        }
        return ParleyJson.write(root);
    }

    Mapped map(Throwable e) {
        return switch (e) {
            case ApiException a -> new Mapped(a.status(), a.code(), a.getMessage(), a.headers(), a.details());
            case InvalidInputException i -> new Mapped(400, "invalid_request", i.getMessage(), Map.of(),
                    i.field() == null ? Map.of() : Map.of("field", i.field()));
            case JacksonException j -> new Mapped(400, "invalid_json", "request body is not valid JSON: " + Body.describe(j));
            case InvalidSessionTokenException t -> new Mapped(401,
                    t.reason() == InvalidSessionTokenException.Reason.EXPIRED ? "token_expired" : "invalid_token",
                    t.getMessage(), Map.of("WWW-Authenticate", "Bearer"), Map.of());
            case NotFoundException n -> new Mapped(404, "not_found", n.getMessage());
            case ConflictException c -> new Mapped(409, switch (c.reason()) {
                case VERSION -> "version_conflict";
                case HEAD -> "head_conflict";
                case ALREADY_EXISTS -> "already_exists";
                case VAULT -> "vault_conflict";
                case IN_FLIGHT -> "in_flight";
            }, c.getMessage());
            case IdempotencyMismatchException m -> new Mapped(422, "idempotency_mismatch", m.getMessage());
            case BudgetExceededException b -> new Mapped(422, "budget_exceeded", b.getMessage(), Map.of(),
                    Map.of("budget", b.budget(), "requested", b.requested(), "available", b.available()));
            case QuotaExceededException q -> new Mapped(422, "quota_exceeded", q.getMessage(), Map.of(),
                    Map.of("requested", q.requested(), "available", q.available()));
            case ModelException m -> model(m);
            case StoreException s -> new Mapped(503, "store_unavailable", "the session store failed; the request did not "
                    + "complete (see the server log for this request id)");
            case HttpResponseException h -> framework(h);
            default -> new Mapped(500, "internal", "internal server error (see the server log for this request id)");
        };
    }

    private Mapped framework(HttpResponseException h) {
        return switch (h.getStatus()) {
            case 404 -> new Mapped(404, "not_found", "no such endpoint: " + LogText.escape(h.getMessage()
                    .replaceFirst("^Endpoint ", "").replaceFirst(" not found$", "")));
            case 405 -> new Mapped(405, "method_not_allowed", "this endpoint does not accept that method");
            case 413 -> new Mapped(413, "payload_too_large", "request body is larger than " + maxBodyBytes + " bytes");
            case 400 -> new Mapped(400, "invalid_request", LogText.escape(h.getMessage()));
            default -> new Mapped(h.getStatus(), h.getStatus() >= 500 ? "internal"
                    : LogText.escape(h.getMessage()).toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "_"),
                    h.getStatus() >= 500 ? "internal server error (see the server log for this request id)"
                            : LogText.escape(h.getMessage()));
        };
    }

    private static Mapped model(ModelException m) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", m.provider());
        m.status().ifPresent(s -> details.put("providerStatus", s));
        String message = m.getMessage();
        return switch (m) {
            case ModelException.RateLimited r when !r.quotaExhausted() -> new Mapped(503, "model_rate_limited", message,
                    r.retryAfter().map(d -> Map.of("Retry-After", Long.toString(Math.max(1, d.toSeconds())))).orElse(Map.of()),
                    details);
            case ModelException.RateLimited r -> new Mapped(502, "model_quota_exhausted", message, Map.of(), details);
            case ModelException.ProviderUnavailable u -> new Mapped(503, "model_unavailable", message, Map.of(), details);
            case ModelException.Timeout t -> new Mapped(504, "model_timeout", message, Map.of(), details);
            case ModelException.ContextLengthExceeded c -> new Mapped(422, "context_length_exceeded", message, Map.of(), details);
            case ModelException.AuthenticationFailed a -> new Mapped(502, "model_auth_failed", message, Map.of(), details);
            case ModelException.BadRequest b -> new Mapped(502, "model_bad_request", message, Map.of(), details);
            case ModelException.MalformedResponse r -> new Mapped(502, "model_bad_response", message, Map.of(), details);
        };
    }
}
