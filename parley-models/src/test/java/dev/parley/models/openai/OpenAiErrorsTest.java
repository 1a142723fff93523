package dev.parley.models.openai;

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

/** Pins how every OpenAI failure is typed: one row per status, header and body shape that matters. */
class OpenAiErrorsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private static final OpenAiErrors ERRORS = new OpenAiErrors("openai", CLOCK, Secret.of("sk-live-key"));

    record Row(String name, int status, Map<String, String> headers, String body,
               Class<? extends ModelException> type, boolean retriable, Duration retryAfter, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String error(String type, String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Stream<Row> rows() {
        String rate = error("requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o");
        return Stream.of(
                new Row("429 with retry-after seconds", 429, headers("retry-after", "7"), rate,
                        ModelException.RateLimited.class, true, Duration.ofSeconds(7), "Rate limit reached"),
                new Row("429 with retry-after-ms", 429, headers("retry-after-ms", "1500", "retry-after", "9"), rate,
                        ModelException.RateLimited.class, true, Duration.ofMillis(1500), "rate limited (HTTP 429, rate_limit_exceeded)"),
                new Row("429 with retry-after as an HTTP date", 429, headers("retry-after", "Sat, 21 Nov 2026 10:00:30 GMT"), rate,
                        ModelException.RateLimited.class, true, Duration.ofSeconds(30), "retry after PT30S"),
                new Row("429 with the exhausted limit's x-ratelimit reset", 429, headers(
                        "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1m30s",
                        "x-ratelimit-remaining-tokens", "5000", "x-ratelimit-reset-tokens", "6m0s"), rate,
                        ModelException.RateLimited.class, true, Duration.ofSeconds(90), "Rate limit"),
                new Row("429 without any hint", 429, headers(), rate, ModelException.RateLimited.class, true, null, "Rate limit"),
                new Row("429 insufficient_quota is not worth retrying", 429, headers("retry-after", "1"),
                        error("insufficient_quota", "insufficient_quota", "You exceeded your current quota"),
                        ModelException.RateLimited.class, false, null, "quota exhausted"),
                new Row("401 invalid key", 401, headers(), error("invalid_request_error", "invalid_api_key",
                        "Incorrect API key provided: sk-live-key"), ModelException.AuthenticationFailed.class, false, null,
                        "Incorrect API key provided: [redacted]"),
                new Row("403 region or permission", 403, headers(), error("invalid_request_error", "unsupported_country_region_territory",
                        "Country, region, or territory not supported"), ModelException.AuthenticationFailed.class, false, null, "not supported"),
                new Row("400 invalid request", 400, headers(), error("invalid_request_error", null, "Invalid type for 'messages[0].content'"),
                        ModelException.BadRequest.class, false, null, "bad request (HTTP 400, invalid_request_error)"),
                new Row("404 unknown model", 404, headers(), error("invalid_request_error", "model_not_found",
                        "The model `gpt-9` does not exist"), ModelException.BadRequest.class, false, null, "gpt-9"),
                new Row("400 context_length_exceeded", 400, headers(), error("invalid_request_error", "context_length_exceeded",
                        "This model's maximum context length is 128000 tokens."), ModelException.ContextLengthExceeded.class, false,
                        null, "128000"),
                new Row("400 context overflow worded by vLLM", 400, headers(), "{\"object\":\"error\",\"message\":\"This model's "
                        + "maximum context length is 4096 tokens. However, you requested 5000 tokens.\",\"type\":\"BadRequestError\","
                        + "\"param\":null,\"code\":400}", ModelException.ContextLengthExceeded.class, false, null, "4096"),
                new Row("413 request too large", 413, headers(), "request entity too large",
                        ModelException.ContextLengthExceeded.class, false, null, "HTTP 413"),
                new Row("500 server error", 500, headers(), error("server_error", null, "The server had an error"),
                        ModelException.ProviderUnavailable.class, true, null, "server had an error"),
                new Row("502 HTML from a proxy", 502, headers(), "<html><body>502 Bad Gateway</body></html>",
                        ModelException.ProviderUnavailable.class, true, null, "502 Bad Gateway"),
                new Row("503 overloaded", 503, headers(), error("server_error", null, "The engine is currently overloaded"),
                        ModelException.ProviderUnavailable.class, true, null, "overloaded"),
                new Row("408 request timeout", 408, headers(), "", ModelException.ProviderUnavailable.class, true, null, "(empty body)"),
                new Row("422 from a compatible server", 422, headers(), "{\"detail\":\"bad field\"}",
                        ModelException.BadRequest.class, false, null, "bad field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachFailureIsTypedByWhetherARetryCanHelp(Row row) {
        Map<String, List<String>> headerMap = new LinkedHashMap<>();
        row.headers().forEach((k, v) -> headerMap.put(k, List.of(v)));
        HttpHeaders headers = HttpHeaders.of(headerMap, (k, v) -> true);

        ModelException e = ERRORS.map(row.status(), Secret.of("sk-live-key").redact(row.body()), headers);

        assertThat(e).isInstanceOf(row.type());
        assertThat(e.isRetriable()).isEqualTo(row.retriable());
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.status()).hasValue(row.status());
        assertThat(e.getMessage()).startsWith("openai: ").contains(row.messagePart()).doesNotContain("sk-live-key");
        if (e instanceof ModelException.RateLimited limited) {
            assertThat(limited.retryAfter().orElse(null)).isEqualTo(row.retryAfter());
        }
    }
}
