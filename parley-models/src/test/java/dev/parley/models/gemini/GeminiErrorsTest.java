package dev.parley.models.gemini;

import dev.parley.json.ParleyJson;
import dev.parley.models.ModelException;
import dev.parley.models.internal.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins how every Gemini failure is typed: one row per status, header and error detail that matters. */
class GeminiErrorsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private static final Secret KEY = Secret.of("AIza-live-key");
    private static final GeminiErrors ERRORS = new GeminiErrors("gemini", CLOCK, KEY);

    record Row(String name, int status, Map<String, String> headers, String body,
               Class<? extends ModelException> type, boolean retriable, Duration retryAfter, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String error(int code, String status, String message, String... details) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\",\"details\":["
                + String.join(",", details) + "]}}";
    }

    private static String retryInfo(String delay) {
        return "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + delay + "\"}";
    }

    private static String quotaFailure(String quotaId) {
        return "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
                + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":\"" + quotaId + "\"}]}";
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Stream<Row> rows() {
        String quota = "You exceeded your current quota, please check your plan and billing details.";
        return Stream.of(
                new Row("429 with a RetryInfo delay", 429, headers(), error(429, "RESOURCE_EXHAUSTED", quota,
                        quotaFailure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"), retryInfo("30s")),
                        ModelException.RateLimited.class, true, Duration.ofSeconds(30), "rate limited (HTTP 429, RESOURCE_EXHAUSTED)"),
                new Row("429 with a fractional RetryInfo delay", 429, headers(), error(429, "RESOURCE_EXHAUSTED", quota,
                        retryInfo("1.5s")), ModelException.RateLimited.class, true, Duration.ofMillis(1500), "retry after PT1.5S"),
                new Row("429 whose retry-after header wins over the body", 429, headers("retry-after", "7"),
                        error(429, "RESOURCE_EXHAUSTED", quota, retryInfo("30s")), ModelException.RateLimited.class, true,
                        Duration.ofSeconds(7), "current quota"),
                new Row("429 without any hint", 429, headers(), error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted"),
                        ModelException.RateLimited.class, true, null, "Resource has been exhausted"),
                new Row("429 of a per-day quota is not worth retrying", 429, headers(), error(429, "RESOURCE_EXHAUSTED", quota,
                        quotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"), retryInfo("40s")),
                        ModelException.RateLimited.class, false, null, "daily quota exhausted"),
                new Row("400 API_KEY_INVALID is an authentication failure", 400, headers(), error(400, "INVALID_ARGUMENT",
                        "API key not valid: AIza-live-key. Please pass a valid API key.",
                        "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}"),
                        ModelException.AuthenticationFailed.class, false, null, "API key not valid: [redacted]"),
                new Row("401 UNAUTHENTICATED", 401, headers(), error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."),
                        ModelException.AuthenticationFailed.class, false, null, "authentication failed (HTTP 401, UNAUTHENTICATED)"),
                new Row("403 PERMISSION_DENIED", 403, headers(), error(403, "PERMISSION_DENIED",
                        "Method doesn't allow unregistered callers"), ModelException.AuthenticationFailed.class, false, null,
                        "unregistered callers"),
                new Row("400 INVALID_ARGUMENT", 400, headers(), error(400, "INVALID_ARGUMENT", "Please use a valid role: user, model."),
                        ModelException.BadRequest.class, false, null, "bad request (HTTP 400, INVALID_ARGUMENT)"),
                new Row("400 input token count above the limit", 400, headers(), error(400, "INVALID_ARGUMENT",
                        "The input token count (1234567) exceeds the maximum number of tokens allowed (1048576)."),
                        ModelException.ContextLengthExceeded.class, false, null, "1048576"),
                new Row("400 FAILED_PRECONDITION of an unsupported location", 400, headers(), error(400, "FAILED_PRECONDITION",
                        "User location is not supported for the API use."), ModelException.BadRequest.class, false, null,
                        "User location"),
                new Row("404 unknown model", 404, headers(), error(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta"),
                        ModelException.BadRequest.class, false, null, "gemini-9"),
                new Row("500 INTERNAL", 500, headers(), error(500, "INTERNAL", "An internal error has occurred."),
                        ModelException.ProviderUnavailable.class, true, null, "unavailable (HTTP 500, INTERNAL)"),
                new Row("503 UNAVAILABLE", 503, headers(), error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
                        ModelException.ProviderUnavailable.class, true, null, "overloaded"),
                new Row("504 DEADLINE_EXCEEDED", 504, headers(), error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
                        ModelException.ProviderUnavailable.class, true, null, "Deadline expired"),
                new Row("an error wrapped in an array, as the JSON-array stream sends it", 503, headers(),
                        "[" + error(503, "UNAVAILABLE", "Service unavailable") + "]", ModelException.ProviderUnavailable.class, true,
                        null, "(HTTP 503, UNAVAILABLE): Service unavailable"),
                new Row("502 HTML from a proxy", 502, headers(), "<html><body>502 Bad Gateway</body></html>",
                        ModelException.ProviderUnavailable.class, true, null, "502 Bad Gateway"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachFailureIsTypedByWhetherARetryCanHelp(Row row) {
        Map<String, List<String>> headerMap = new LinkedHashMap<>();
        row.headers().forEach((k, v) -> headerMap.put(k, List.of(v)));
        HttpHeaders headers = HttpHeaders.of(headerMap, (k, v) -> true);

        ModelException e = ERRORS.map(row.status(), KEY.redact(row.body()), headers);

        assertThat(e).isInstanceOf(row.type());
        assertThat(e.isRetriable()).isEqualTo(row.retriable());
        assertThat(e.provider()).isEqualTo("gemini");
        assertThat(e.status()).hasValue(row.status());
        assertThat(e.getMessage()).startsWith("gemini: ").contains(row.messagePart()).doesNotContain("AIza-live-key");
        if (e instanceof ModelException.RateLimited limited) {
            assertThat(limited.retryAfter().orElse(null)).isEqualTo(row.retryAfter());
        }
    }

    @Test
    void anErrorInsideAStreamIsTypedByItsCodeOrElseItsStatus() {
        ModelException limited = ERRORS.fromStreamError(ParleyJson.parse(error(429, "RESOURCE_EXHAUSTED", "slow down",
                retryInfo("2s")), "e").get("error"));
        ModelException unavailable = ERRORS.fromStreamError(ParleyJson.parse("{\"message\":\"try later\",\"status\":\"UNAVAILABLE\"}", "e"));

        assertThat(limited).isInstanceOfSatisfying(ModelException.RateLimited.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        assertThat(limited.status()).isEmpty();
        assertThat(unavailable).isInstanceOf(ModelException.ProviderUnavailable.class)
                .hasMessage("gemini: unavailable (stream error, UNAVAILABLE): try later");
    }
}
