package dev.parley.models.gemini;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where Gemini failures become typed exceptions, from the status and Google's error JSON
 * {@code {"error": {"code", "message", "status", "details": [...]}}} (sometimes wrapped in an array):
 * <ul>
 *   <li>400 {@code INVALID_ARGUMENT} whose message says the input token count exceeds the limit (and 413) is a
 *       context overflow; 400 with an {@code ErrorInfo} reason {@code API_KEY_INVALID} (Gemini's answer to a wrong
 *       key), 401 and 403 are authentication failures;</li>
 *   <li>429 {@code RESOURCE_EXHAUSTED} is a rate limit, to be retried after the {@code RetryInfo.retryDelay} of its
 *       details (or a {@code retry-after} header); when a {@code QuotaFailure} names a per-day quota, waiting a few
 *       seconds will not help and it is not retriable;</li>
 *   <li>500 {@code INTERNAL}, 503 {@code UNAVAILABLE}, 504 {@code DEADLINE_EXCEEDED} (and 408, 409) are retriable.</li>
 * </ul>
 */
final class GeminiErrors implements ErrorMapper {
    private static final Pattern PROTO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)s");
    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final String provider;
    private final Clock clock;
    private final Secret secret;

    GeminiErrors(String provider, Clock clock, Secret secret) {
        this.provider = provider;
        this.clock = clock;
        this.secret = secret;
    }

    /** What Google's error JSON says: its message and status, and what its details add. */
    private record Details(String message, String status, Duration retryDelay, boolean keyInvalid, boolean dailyQuota) {
    }

    @Override
    public ModelException map(int status, String body, HttpHeaders headers) {
        return classify(status, status, details(body), headers);
    }

    /** An {@code error} object inside a stream chunk (the stream's status was 200): typed by its code or status. */
    ModelException fromStreamError(JsonNode error) {
        Details details = details(error, ParleyJson.write(error));
        JsonNode code = error.path("code");
        int status = code.canConvertToInt() && code.intValue() >= 400 && code.intValue() <= 599 ? code.intValue()
                : statusOf(details.status());
        return classify(status, 0, details, NO_HEADERS);
    }

    /** {@code status} decides the type; {@code shown} is the HTTP status to report (0: the failure came in a stream). */
    private ModelException classify(int status, int shown, Details details, HttpHeaders headers) {
        String code = details.status();
        if (status == 413 || status == 400 && isContextOverflow(details.message())) {
            return new ModelException.ContextLengthExceeded(provider, message("context length exceeded", shown, details),
                    shown, code, null);
        }
        if (status == 401 || status == 403 || details.keyInvalid()) {
            return new ModelException.AuthenticationFailed(provider, message("authentication failed", shown, details),
                    shown, code, null);
        }
        if (status == 429) {
            if (details.dailyQuota()) {
                return new ModelException.RateLimited(provider, message("daily quota exhausted", shown, details), shown,
                        code, null, null, true);
            }
            Duration retryAfter = RetryAfter.from(headers, clock).orElse(details.retryDelay());
            String text = message("rate limited", shown, details) + (retryAfter != null ? " (retry after " + retryAfter + ")" : "");
            return new ModelException.RateLimited(provider, text, shown, code, null, retryAfter, false);
        }
        if (status == 408 || status == 409 || status >= 500) {
            return new ModelException.ProviderUnavailable(provider, message("unavailable", shown, details), shown, code,
                    null, null);
        }
        return new ModelException.BadRequest(provider, message("bad request", shown, details), shown, code, null);
    }

    private static boolean isContextOverflow(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("token count") && text.contains("exceed") || text.contains("exceeds the maximum number of tokens")
                || text.contains("context window") || text.contains("context length");
    }

    /** The HTTP status Google maps each canonical status to. */
    private static int statusOf(String status) {
        return switch (status == null ? "" : status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "ABORTED", "ALREADY_EXISTS" -> 409;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 500;
        };
    }

    private String message(String what, int shown, Details details) {
        return provider + ": " + what + " (" + (shown > 0 ? "HTTP " + shown : "stream error")
                + (details.status() != null ? ", " + details.status() : "") + "): " + details.message();
    }

    private Details details(String body) {
        JsonNode root;
        try {
            root = ParleyJson.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            return new Details(WireJson.snippet(body, secret), null, null, false, false);
        }
        if (root != null && root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        if (root == null || !root.path("error").isObject()) {
            return new Details(WireJson.snippet(body, secret), null, null, false, false);
        }
        return details(root.get("error"), body);
    }

    private Details details(JsonNode error, String body) {
        String message = WireJson.text(error, "message", null);
        Duration retryDelay = null;
        boolean keyInvalid = false;
        boolean dailyQuota = false;
        for (JsonNode detail : error.path("details")) {
            String type = WireJson.text(detail, "@type", "");
            if (type.endsWith("google.rpc.RetryInfo")) {
                retryDelay = protoDuration(WireJson.text(detail, "retryDelay", ""));
            } else if (type.endsWith("google.rpc.ErrorInfo")) {
                keyInvalid |= "API_KEY_INVALID".equals(WireJson.text(detail, "reason", ""));
            } else if (type.endsWith("google.rpc.QuotaFailure")) {
                for (JsonNode violation : detail.path("violations")) {
                    dailyQuota |= WireJson.text(violation, "quotaId", "").contains("PerDay");
                }
            }
        }
        return new Details(message != null ? secret.redact(message) : WireJson.snippet(body, secret),
                // the status is quoted in messages too, and a stream's error event has not been redacted before
                secret.redact(WireJson.text(error, "status", null)), retryDelay, keyInvalid, dailyQuota);
    }

    /** A protobuf JSON duration: seconds with an {@code s} suffix ({@code "30s"}, {@code "1.5s"}). */
    private static Duration protoDuration(String value) {
        Matcher m = PROTO_DURATION.matcher(value.strip());
        return m.matches() ? Duration.ofNanos((long) (Double.parseDouble(m.group(1)) * 1e9)) : null;
    }
}
