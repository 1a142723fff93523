package dev.parley.models.anthropic;

import dev.parley.models.ModelException;
import dev.parley.models.internal.Secret;
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

/** Pins how every Anthropic failure is typed: one row per status, header and error type that matters. */
class AnthropicErrorsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private static final AnthropicErrors ERRORS = new AnthropicErrors("anthropic", CLOCK, Secret.of("sk-ant-key"));

    record Row(String name, int status, Map<String, String> headers, String body,
               Class<? extends ModelException> type, boolean retriable, Duration retryAfter, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String error(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},\"request_id\":\"req_1\"}";
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Stream<Row> rows() {
        String rate = error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");
        return Stream.of(
                new Row("429 with retry-after", 429, headers("retry-after", "12"), rate,
                        ModelException.RateLimited.class, true, Duration.ofSeconds(12), "rate limited (HTTP 429, rate_limit_error)"),
                new Row("429 with retry-after-ms", 429, headers("retry-after-ms", "250"), rate,
                        ModelException.RateLimited.class, true, Duration.ofMillis(250), "per-minute rate limit"),
                new Row("429 with an exhausted limit's reset instant", 429, headers(
                        "anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-11-21T10:00:20Z",
                        "anthropic-ratelimit-tokens-remaining", "9000", "anthropic-ratelimit-tokens-reset", "2026-11-21T10:05:00Z"),
                        rate, ModelException.RateLimited.class, true, Duration.ofSeconds(20), "rate limit"),
                new Row("401 authentication_error", 401, headers(), error("authentication_error", "invalid x-api-key sk-ant-key"),
                        ModelException.AuthenticationFailed.class, false, null, "invalid x-api-key [redacted]"),
                new Row("403 permission_error", 403, headers(), error("permission_error", "Your API key does not have permission"),
                        ModelException.AuthenticationFailed.class, false, null, "permission"),
                new Row("402 billing_error", 402, headers(), error("billing_error", "Your credit balance is too low"),
                        ModelException.RateLimited.class, false, null, "billing limit reached"),
                new Row("400 invalid_request_error", 400, headers(), error("invalid_request_error", "messages: roles must alternate"),
                        ModelException.BadRequest.class, false, null, "bad request (HTTP 400, invalid_request_error)"),
                new Row("400 prompt is too long", 400, headers(), error("invalid_request_error",
                        "prompt is too long: 208310 tokens > 200000 maximum"), ModelException.ContextLengthExceeded.class, false,
                        null, "prompt is too long"),
                new Row("400 input and max_tokens exceed the context limit", 400, headers(), error("invalid_request_error",
                        "input length and `max_tokens` exceed context limit: 197000 + 8192 > 200000"),
                        ModelException.ContextLengthExceeded.class, false, null, "exceed context limit"),
                new Row("413 request_too_large", 413, headers(), error("request_too_large", "Request exceeds the maximum allowed size"),
                        ModelException.ContextLengthExceeded.class, false, null, "maximum allowed size"),
                new Row("404 not_found_error", 404, headers(), error("not_found_error", "model: claude-9"),
                        ModelException.BadRequest.class, false, null, "claude-9"),
                new Row("500 api_error", 500, headers(), error("api_error", "Internal server error"),
                        ModelException.ProviderUnavailable.class, true, null, "unavailable (HTTP 500, api_error)"),
                new Row("529 overloaded_error", 529, headers(), error("overloaded_error", "Overloaded"),
                        ModelException.ProviderUnavailable.class, true, null, "overloaded (HTTP 529, overloaded_error)"),
                new Row("503 from a proxy, not JSON", 503, headers(), "upstream connect error",
                        ModelException.ProviderUnavailable.class, true, null, "upstream connect error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachFailureIsTypedByWhetherARetryCanHelp(Row row) {
        Map<String, List<String>> headerMap = new LinkedHashMap<>();
        row.headers().forEach((k, v) -> headerMap.put(k, List.of(v)));
        HttpHeaders headers = HttpHeaders.of(headerMap, (k, v) -> true);

        ModelException e = ERRORS.map(row.status(), Secret.of("sk-ant-key").redact(row.body()), headers);

        assertThat(e).isInstanceOf(row.type());
        assertThat(e.isRetriable()).isEqualTo(row.retriable());
        assertThat(e.status()).hasValue(row.status());
        assertThat(e.getMessage()).startsWith("anthropic: ").contains(row.messagePart()).doesNotContain("sk-ant-key");
        if (e instanceof ModelException.RateLimited limited) {
            assertThat(limited.retryAfter().orElse(null)).isEqualTo(row.retryAfter());
        }
        if (row.body().startsWith("{")) {
            assertThat(e.requestId()).contains("req_1");
        }
    }
}
