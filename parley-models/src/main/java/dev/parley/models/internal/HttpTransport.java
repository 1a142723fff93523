package dev.parley.models.internal;

import dev.parley.models.ChatStream;
import dev.parley.models.ModelException;
import dev.parley.models.RetryPolicy;
import dev.parley.models.StreamHandler;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP side shared by the adapters: one JSON POST with the timeout, the retries and the error mapping
 * applied, or one streamed POST. Logs the endpoint, statuses and retries, never headers or bodies.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    /** Cuts off calls past their deadline; one thread for all transports, only ever scheduling and cancelling. */
    static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-http-deadlines");
        t.setDaemon(true);
        return t;
    });
    /** Connections kept per provider endpoint: one per concurrent call, as many as a busy server makes. */
    private static final int MAX_CONNECTIONS = 512;

    private final String provider;
    private final CloseableHttpClient client;
    private final boolean ownsClient;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final ErrorMapper errors;
    private final Secret secret;
    private volatile boolean closed;

    /** One request: where, which headers (the API key's included), and the JSON body. */
    public record Call(URI uri, Map<String, String> headers, String body) {
        public Call {
            Objects.requireNonNull(uri, "uri");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        @Override
        public String toString() {
            return "Call[" + uri + "]";
        }
    }

    public HttpTransport(String provider, CloseableHttpClient client, boolean ownsClient, Duration timeout, RetryPolicy retry,
                         ErrorMapper errors, Secret secret) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /**
     * A client with the given connect timeout; the adapters own (and close) it. Apache HttpClient's blocking client:
     * a call made on a virtual thread writes and reads its socket itself, where the JDK's {@code HttpClient} hands
     * every exchange to its selector thread and then to a worker thread (decision 95). It follows redirects, keeps
     * connections alive, honours the JVM's proxy and TLS system properties, and never retries on its own: the
     * {@link RetryPolicy} decides that.
     */
    public static CloseableHttpClient newClient(Duration connectTimeout) {
        ConnectionConfig connections = ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout)).build();
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(connections)
                        .setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS).build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .useSystemProperties()
                .build();
    }

    /** Fails fast, at build time, on a header the JDK client refuses to send (host, connection …). */
    public static void checkHeader(String name, String value) {
        HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header(name, value);
    }

    public String provider() {
        return provider;
    }

    public Secret secret() {
        return secret;
    }

    /** POSTs and returns the body of a 2xx response, retrying retriable failures; anything else is thrown typed. */
    public String post(Call call) {
        requireOpen();
        for (int attempt = 1; ; attempt++) {
            try {
                return postOnce(call);
            } catch (ModelException failure) {
                pauseBeforeRetry(attempt, failure);
            }
        }
    }

    /** Starts a streamed POST of server-sent events; each attempt's events go to a new decoder from {@code decoders}. */
    public ChatStream stream(Call call, Supplier<StreamDecoder> decoders, StreamHandler handler) {
        return stream(call, StreamFraming.SERVER_SENT_EVENTS, decoders, handler);
    }

    /** Starts a streamed POST in the given framing; each attempt's events go to a new decoder from {@code decoders}. */
    public ChatStream stream(Call call, StreamFraming framing, Supplier<StreamDecoder> decoders, StreamHandler handler) {
        requireOpen();
        StreamingCall stream = new StreamingCall(this, call, Objects.requireNonNull(framing, "framing"), decoders, handler);
        stream.start();
        return stream;
    }

    private String postOnce(Call call) {
        LOG.debug("{}: POST {}", provider, call.uri());
        HttpPost post = request(call, "application/json");
        Deadline deadline = Deadline.start(post, timeout);
        try (ClassicHttpResponse response = client.executeOpen(null, post, null)) {
            int status = response.getCode();
            String body = response.getEntity() == null ? "" : new String(read(response.getEntity().getContent()),
                    StandardCharsets.UTF_8);
            LOG.debug("{}: HTTP {} from {}", provider, status, call.uri());
            if (status / 100 == 2) {
                return body;
            }
            throw errors.map(status, secret.redact(body), headers(response));
        } catch (IOException e) {
            if (deadline.passed()) {
                throw new ModelException.Timeout(provider, provider + ": no complete response from " + call.uri()
                        + " within " + timeout, e);
            }
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted during the call");
                interrupted.initCause(e);
                Thread.currentThread().interrupt();
                throw cancelled(interrupted);
            }
            throw transportFailure(e, call.uri());
        } finally {
            deadline.cancel();
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** Aborts a call that has not completed by its deadline: the request's connection is closed under it. */
    static final class Deadline {
        private final ScheduledFuture<?> timer;
        private volatile boolean passed;

        private Deadline(HttpPost request, Duration timeout) {
            this.timer = DEADLINES.schedule(() -> {
                passed = true;
                request.cancel();
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        static Deadline start(HttpPost request, Duration timeout) {
            return new Deadline(request, timeout);
        }

        boolean passed() {
            return passed;
        }

        void cancel() {
            timer.cancel(false);
        }
    }

    /** A response's headers as the error mappers read them (names compared without regard to case). */
    static HttpHeaders headers(ClassicHttpResponse response) {
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            byName.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        return HttpHeaders.of(byName, (name, value) -> true);
    }

    /** Returns after the wait before the next attempt, or throws {@code failure} when it must not be retried. */
    void pauseBeforeRetry(int failedAttempt, ModelException failure) {
        Duration delay = retry.delayAfter(failedAttempt, failure).orElseThrow(() -> failure);
        // The type, status and code only: a provider's message may quote the request, and contents never reach a log.
        LOG.warn("{}: attempt {}/{} failed ({}{}{}); retrying in {} ms", provider, failedAttempt, retry.maxAttempts(),
                failure.getClass().getSimpleName(), failure.status().isPresent() ? ", HTTP " + failure.status().getAsInt() : "",
                failure.errorCode().map(code -> ", " + code).orElse(""), delay.toMillis());
        try {
            retry.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(e);
        }
    }

    HttpPost request(Call call, String accept) {
        HttpPost post = new HttpPost(call.uri());
        post.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        post.setHeader("accept", accept);
        call.headers().forEach(post::setHeader);
        post.setEntity(new StringEntity(call.body(), ContentType.APPLICATION_JSON));
        return post;
    }

    CloseableHttpClient client() {
        return client;
    }

    Duration timeout() {
        return timeout;
    }

    ModelException mapError(int status, String body, HttpHeaders headers) {
        return errors.map(status, secret.redact(body), headers);
    }

    /** A failure below HTTP (timeout, refused or reset connection) as a typed, retriable exception. */
    ModelException transportFailure(Throwable cause, URI uri) {
        if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException
                || cause instanceof ConnectTimeoutException) {
            return new ModelException.Timeout(provider, provider + ": no response from " + uri + " within " + timeout
                    + " (" + cause.getClass().getSimpleName() + ")", cause);
        }
        if (cause instanceof IOException) {
            String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getClass().getSimpleName() + ": " + secret.redact(cause.getMessage());
            return new ModelException.ProviderUnavailable(provider, provider + ": could not reach " + uri + " (" + detail + ")",
                    0, null, null, cause);
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new ModelException.ProviderUnavailable(provider, provider + ": request to " + uri + " failed: " + cause,
                0, null, null, cause);
    }

    CancellationException cancelled(InterruptedException cause) {
        CancellationException cancelled = new CancellationException(provider + ": the call was interrupted");
        cancelled.initCause(cause);
        return cancelled;
    }

    /** Stops the client this transport created: no new requests; calls in flight finish (nothing blocks on them). */
    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(provider + ": this model was closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ownsClient) {
            client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
        }
    }
}
