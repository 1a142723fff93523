package dev.parley.models.internal;

import dev.parley.models.ModelException;
import dev.parley.models.RetryPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures below HTTP: a timeout is {@code Timeout}, a refused or broken connection {@code ProviderUnavailable}; both retriable. */
class TransportFailuresTest {
    record Row(String name, Throwable cause, Class<? extends ModelException> type, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("HttpTimeoutException", new HttpTimeoutException("request timed out"), ModelException.Timeout.class, "within PT5S"),
                new Row("HttpConnectTimeoutException", new HttpConnectTimeoutException("HTTP connect timed out"),
                        ModelException.Timeout.class, "HttpConnectTimeoutException"),
                new Row("connection refused", new ConnectException(), ModelException.ProviderUnavailable.class,
                        "could not reach https://api.example.com/v1/chat (ConnectException)"),
                new Row("connection reset mentioning the key", new IOException("Connection reset by peer sk-k3y"),
                        ModelException.ProviderUnavailable.class, "Connection reset by peer [redacted]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void failuresBelowHttpAreTypedAndRetriable(Row row) {
        try (HttpClient client = HttpClient.newHttpClient();
             HttpTransport transport = new HttpTransport("openai", client, false, Duration.ofSeconds(10), Duration.ofSeconds(5), RetryPolicy.none(),
                     (status, body, headers) -> {
                         throw new AssertionError("no HTTP response in this test");
                     }, Secret.of("sk-k3y"))) {

            ModelException e = transport.transportFailure(row.cause(), URI.create("https://api.example.com/v1/chat"));

            assertThat(e).isInstanceOf(row.type());
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.status()).isEmpty();
            assertThat(e.getMessage()).contains(row.messagePart()).doesNotContain("sk-k3y");
            assertThat(e.getCause()).isSameAs(row.cause());
        }
    }
}
