package dev.parley.models.ollama;

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

/** Pins how every Ollama failure is typed: one row per status and wording that matters. */
class OllamaErrorsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private static final Secret KEY = Secret.of("ollama-cloud-key");
    private static final OllamaErrors ERRORS = new OllamaErrors("ollama", CLOCK, KEY);

    record Row(String name, int status, Map<String, String> headers, String body,
               Class<? extends ModelException> type, boolean retriable, Duration retryAfter, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String error(String message) {
        return "{\"error\":\"" + message + "\"}";
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("404 model not pulled", 404, Map.of(), error("model 'llama9' not found"),
                        ModelException.BadRequest.class, false, null, "not found (HTTP 404): model 'llama9' not found"),
                new Row("400 bad request", 400, Map.of(), error("invalid message format"),
                        ModelException.BadRequest.class, false, null, "bad request (HTTP 400): invalid message format"),
                new Row("400 about the context length", 400, Map.of(), error("input length exceeds maximum context length"),
                        ModelException.ContextLengthExceeded.class, false, null, "context length exceeded"),
                new Row("401 from Ollama's cloud, echoing the key", 401, Map.of(), error("unauthorized: ollama-cloud-key"),
                        ModelException.AuthenticationFailed.class, false, null, "unauthorized: [redacted]"),
                new Row("403 forbidden", 403, Map.of(), error("forbidden"),
                        ModelException.AuthenticationFailed.class, false, null, "authentication failed (HTTP 403)"),
                new Row("429 with retry-after", 429, Map.of("retry-after", "5"), error("too many requests"),
                        ModelException.RateLimited.class, true, Duration.ofSeconds(5), "retry after PT5S"),
                new Row("429 without a hint", 429, Map.of(), error("too many requests"),
                        ModelException.RateLimited.class, true, null, "rate limited (HTTP 429)"),
                new Row("500 the model runner died", 500, Map.of(), error("llama runner process has terminated: exit status 2"),
                        ModelException.ProviderUnavailable.class, true, null, "runner process has terminated"),
                new Row("503 queue full", 503, Map.of(), error("server busy, please try again.  maximum pending requests exceeded"),
                        ModelException.ProviderUnavailable.class, true, null, "server busy"),
                new Row("502 HTML from a proxy", 502, Map.of(), "<html><body>502 Bad Gateway</body></html>",
                        ModelException.ProviderUnavailable.class, true, null, "502 Bad Gateway"),
                new Row("400 with an OpenAI-style error object from a proxy", 400, Map.of(),
                        "{\"error\":{\"message\":\"invalid model name\",\"type\":\"invalid_request_error\"}}",
                        ModelException.BadRequest.class, false, null, "invalid model name"));
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
        assertThat(e.provider()).isEqualTo("ollama");
        assertThat(e.status()).hasValue(row.status());
        assertThat(e.getMessage()).startsWith("ollama: ").contains(row.messagePart()).doesNotContain("ollama-cloud-key");
        if (e instanceof ModelException.RateLimited limited) {
            assertThat(limited.retryAfter().orElse(null)).isEqualTo(row.retryAfter());
        }
    }

    @Test
    void anErrorLineInsideAStreamIsAFailureOfTheRunningModelUnlessItIsAboutTheContext() {
        ModelException crashed = ERRORS.fromStreamError("an error was encountered while running the model: CUDA error");
        ModelException overflow = ERRORS.fromStreamError("the input length exceeds the context length");

        assertThat(crashed).isInstanceOf(ModelException.ProviderUnavailable.class);
        assertThat(crashed.isRetriable()).isTrue();
        assertThat(crashed.status()).isEmpty();
        assertThat(overflow).isInstanceOf(ModelException.ContextLengthExceeded.class);
    }
}
