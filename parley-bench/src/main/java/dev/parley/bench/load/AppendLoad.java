package dev.parley.bench.load;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop load of appends: each client (a virtual thread) sends its next {@code POST .../messages} as soon as the
 * last one returns, through a warm-up and then a timed window. A request counts when it started inside the window and
 * returned before its end; its latency is what the client saw, from sending to the whole response read.
 *
 * <p>The clients use Apache HttpClient's blocking client, a kept-alive connection each: on the 2 cores the generator
 * shares with the server it costs far less CPU per request than {@code java.net.http}, whose selector thread and
 * hand-offs cost about 57 µs per append here, CPU the server then could not use.
 */
final class AppendLoad {
    /**
     * What one variant measured.
     *
     * @param variant   which sessions the clients append to
     * @param sessions  how many distinct sessions they append to
     * @param appends   appends answered 201 within the window
     * @param errors    every other outcome within the window, by status or exception
     */
    record Outcome(String variant, int clients, int sessions, double seconds, long appends, Latencies latencies,
                   Map<String, Long> errors, CpuUse cpu) {
        double perSecond() {
            return appends / seconds;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final ApiCalls api;
    private final ServerProcess server;
    private final String content;

    AppendLoad(ApiCalls api, ServerProcess server, int messageChars) {
        this.api = api;
        this.server = server;
        this.content = message(messageChars);
    }

    /** {@code clients} clients, each on a session of its own ({@code shared} false) or all on one session. */
    Outcome run(String variant, int clients, boolean shared, double warmupSeconds, double seconds)
            throws IOException, InterruptedException {
        List<String> sessions = new ArrayList<>();
        try (HttpClient setup = ApiCalls.newClient()) {
            for (int i = 0; i < (shared ? 1 : clients); i++) {
                sessions.add(api.createSession(setup));
            }
        }
        try (CloseableHttpClient http = blockingClient(clients)) {
            long start = System.nanoTime() + (long) (warmupSeconds * 1e9);
            long end = start + (long) (seconds * 1e9);
            List<Client> running = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Client client = new Client(http, api.appendPost(sessions.get(shared ? 0 : i), content), start, end);
                running.add(client);
                threads.add(Thread.ofVirtual().name("bench-client-" + i).start(client));
            }
            sleepUntil(start);
            CpuUse.Mark from = CpuUse.Mark.now(server);
            sleepUntil(end);
            CpuUse.Mark to = CpuUse.Mark.now(server);
            for (Thread thread : threads) {
                thread.join();
            }
            Map<String, Long> errors = new TreeMap<>();
            List<Latencies> parts = new ArrayList<>();
            for (Client client : running) {
                if (client.failure != null) {
                    throw new IOException("a client failed outside the measurement: " + client.failure, client.failure);
                }
                parts.add(client.latencies);
                client.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            }
            Latencies all = Latencies.merge(parts);
            return new Outcome(variant, clients, sessions.size(), seconds, all.count(), all, errors, from.until(to));
        }
    }

    /** One connection per client, kept alive; no retries, redirects or cookies: each request is sent once, as it is. */
    private static CloseableHttpClient blockingClient(int clients) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(clients).setMaxConnPerRoute(clients)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.of(ApiCalls.TIMEOUT))
                                .build())
                        .build())
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .build();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** About {@code chars} characters of ordinary prose: a chat message of that size. */
    static String message(int chars) {
        String prose = "Could you check whether my order can still be changed before it ships? I would like the blue one "
                + "instead of the green one, and if possible the delivery on Thursday rather than Friday. Thanks a lot! ";
        StringBuilder out = new StringBuilder(chars);
        while (out.length() < chars) {
            out.append(prose);
        }
        return out.substring(0, chars).strip();
    }

    /** One client: its own latencies and error counts, read by the coordinator only after its thread has ended. */
    private static final class Client implements Runnable {
        private final CloseableHttpClient http;
        private final ApiCalls.Post request;
        private final ByteArrayEntity body;
        private final long start;
        private final long end;
        final Latencies latencies = new Latencies();
        final Map<String, Long> errors = new TreeMap<>();
        Exception failure;

        Client(CloseableHttpClient http, ApiCalls.Post request, long start, long end) {
            this.http = http;
            this.request = request;
            this.body = new ByteArrayEntity(request.body(), ContentType.APPLICATION_JSON);
            this.start = start;
            this.end = end;
        }

        @Override
        public void run() {
            while (true) {
                long sent = System.nanoTime();
                String error = null;
                try {
                    HttpPost post = new HttpPost(request.uri());
                    request.headers().forEach(post::addHeader);
                    post.setEntity(body);
                    int status = http.execute(post, response -> {
                        EntityUtils.consume(response.getEntity());
                        return response.getCode();
                    });
                    if (status != 201) {
                        error = "HTTP " + status;
                    }
                } catch (IOException e) {
                    error = e.getClass().getSimpleName();
                }
                if (Thread.currentThread().isInterrupted()) {
                    failure = new InterruptedException("client interrupted");
                    return;
                }
                long returned = System.nanoTime();
                if (returned > end) {
                    return;
                }
                if (sent >= start) {
                    if (error == null) {
                        latencies.add(returned - sent);
                    } else {
                        errors.merge(error, 1L, Long::sum);
                    }
                }
            }
        }
    }
}
