package dev.parley.models.internal;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plain (not streamed) POSTs over Apache HttpClient 5's blocking client, for the adapters that own their HTTP client.
 * The calling thread writes the request and reads the reply itself; on a virtual thread (every server request) a
 * blocked read parks it until the poller sees bytes. The JDK's {@code HttpClient} passes each exchange through its
 * selector thread and an executor instead, which cost a gateway turn 0.3 ms of hand-offs here (decision 98).
 *
 * <p>Each attempt is bounded as a whole: the wait for any byte by the socket timeout, a reply that trickles in beyond
 * the deadline by aborting the exchange from a timer thread.
 */
final class BlockingPost implements AutoCloseable {
    /** A complete reply: status, body and headers (for {@code retry-after} and the providers' rate-limit headers). */
    record Reply(int status, String body, HttpHeaders headers) {
    }

    /** The exchange went on past its deadline; thrown in place of the I/O failure the abort caused. */
    static final class DeadlinePassed extends IOException {
        DeadlinePassed() {
            super("the deadline passed");
        }
    }

    private static final ContentType JSON = ContentType.create("application/json");
    /** Aborts exchanges past their deadline; one daemon thread for every adapter, idle unless one is due. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final CloseableHttpClient client;
    private final Duration timeout;

    /** Connects within {@code connectTimeout}; each exchange, from sending to the whole reply, is bounded by {@code timeout}. */
    BlockingPost(Duration connectTimeout, Duration timeout) {
        this.timeout = timeout;
        // Lax pool without a cap, like the JDK client: a server's concurrent turns each get a connection, never a queue.
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnPerRoute(Integer.MAX_VALUE).setMaxConnTotal(Integer.MAX_VALUE)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                // A connection idle this long is checked before reuse: providers close idle ones.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                // No byte for this long ends the exchange at once; the deadline timer covers one that trickles on.
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
                // Retries are the adapters' RetryPolicy's; bodies go as they are, uncompressed, as the JDK client sent them.
                .disableAutomaticRetries().disableContentCompression().disableCookieManagement()
                .build();
    }

    /**
     * Sends the JSON {@code body} to {@code uri} and reads the whole reply within the timeout. Throws
     * {@link SocketTimeoutException} (a connection not made or no byte read in time) or {@link DeadlinePassed} when it
     * took too long, another {@link IOException} when the exchange failed.
     */
    Reply post(URI uri, Map<String, String> headers, String body) throws IOException {
        HttpPost post = new HttpPost(uri);
        post.setHeader("accept", "application/json");
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), JSON));
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            late.set(true);
            post.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return client.execute(post, response -> new Reply(response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                    headers(response.getHeaders())));
        } catch (IOException e) {
            if (late.get()) {
                DeadlinePassed passed = new DeadlinePassed();
                passed.initCause(e);
                throw passed;
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private static HttpHeaders headers(Header[] headers) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : headers) {
            out.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        return HttpHeaders.of(out, (name, value) -> true);
    }

    /** Closes idle connections and refuses new exchanges; exchanges in flight finish. Does not block. */
    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("parley-http-deadlines").daemon().factory());
        // A finished exchange's deadline leaves the queue at once instead of waiting there for its time.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
