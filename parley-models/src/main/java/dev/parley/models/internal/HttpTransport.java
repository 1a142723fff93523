package dev.parley.models.internal;

import dev.parley.models.ChatStream;
import dev.parley.models.ModelException;
import dev.parley.models.RetryPolicy;
import dev.parley.models.StreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The HTTP side shared by the adapters: one JSON POST with the timeout, the retries and the error mapping
 * applied, or one streamed POST. Logs the endpoint, statuses and retries, never headers or bodies.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    private final String provider;
    private final HttpClient client;
    private final boolean ownsClient;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final ErrorMapper errors;
    private final Secret secret;
    /** Plain POSTs go here when the adapter owns its client; with a client passed in, they go through it. */
    private final BlockingPost posts;
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

    /**
     * A transport over {@code client} (streams, and plain POSTs when {@code ownsClient} is false). When the adapter owns
     * its client, plain POSTs go through a blocking client of their own, connecting within {@code connectTimeout}.
     */
    public HttpTransport(String provider, HttpClient client, boolean ownsClient, Duration connectTimeout, Duration timeout,
                         RetryPolicy retry, ErrorMapper errors, Secret secret) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.posts = ownsClient ? new BlockingPost(Objects.requireNonNull(connectTimeout, "connectTimeout"), timeout) : null;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /** A client with the given connect timeout; the adapters own (and close) it. */
    public static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
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
        if (posts != null) {
            return postBlocking(call);
        }
        CompletableFuture<HttpResponse<String>> pending =
                client.sendAsync(request(call, "application/json"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ModelException.Timeout(provider, provider + ": no complete response from " + call.uri()
                    + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), call.uri());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw cancelled(e);
        }
        LOG.debug("{}: HTTP {} from {}", provider, response.statusCode(), call.uri());
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        throw errors.map(response.statusCode(), secret.redact(response.body()), response.headers());
    }

    private String postBlocking(Call call) {
        BlockingPost.Reply reply;
        try {
            reply = posts.post(call.uri(), call.headers(), call.body());
        } catch (SocketTimeoutException | BlockingPost.DeadlinePassed e) {
            // (Apache's ConnectTimeoutException is a SocketTimeoutException: a connection not made in time is one too.)
            throw new ModelException.Timeout(provider, provider + ": no complete response from " + call.uri()
                    + " within " + timeout + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted during the exchange");
                interrupted.initCause(e);
                throw cancelled(interrupted);
            }
            throw transportFailure(e, call.uri());
        }
        LOG.debug("{}: HTTP {} from {}", provider, reply.status(), call.uri());
        if (reply.status() / 100 == 2) {
            return reply.body();
        }
        throw errors.map(reply.status(), secret.redact(reply.body()), reply.headers());
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

    HttpRequest request(Call call, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
        call.headers().forEach(builder::setHeader);
        return builder.build();
    }

    HttpClient client() {
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
        if (cause instanceof HttpTimeoutException) {
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
            client.shutdown();
            posts.close();
        }
    }
}
