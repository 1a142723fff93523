package dev.parley.bench.load;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.http.protocol.RequestUserAgent;
import org.apache.hc.core5.io.CloseMode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * <p>Each client owns one kept-alive connection and speaks HTTP/1.1 over it with Apache HttpCore's blocking connection
 * and request executor: the message layer of Apache's HttpClient without its connection pool and execution chain
 * (routes, redirects, retries, cookies), which a client holding a single connection does not need. On the 2 cores the
 * generator shares with the server every microsecond it spends is one the server cannot use: {@code java.net.http} cost
 * about 57 µs per append here, Apache's full blocking client 32-60 µs.
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
        long start = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long end = start + (long) (seconds * 1e9);
        List<Client> running = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client client = new Client(api.appendPost(sessions.get(shared ? 0 : i), content), start, end);
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
        /**
         * Adds what any client adds: Host, Content-Length, User-Agent. Not {@code Expect: 100-continue}, which
         * {@code HttpProcessors.client()} would add: it makes every POST wait for the server's interim reply before
         * sending its body, a round trip Apache's HttpClient does not make either unless asked to.
         */
        private static final HttpProcessor PROCESSOR = HttpProcessorBuilder.create()
                .addAll(new RequestContent(), new RequestTargetHost(), new RequestUserAgent("parley-bench")).build();
        private static final HttpRequestExecutor EXECUTOR = new HttpRequestExecutor();

        private final ApiCalls.Post request;
        private final HttpHost target;
        private final String path;
        private final ByteArrayEntity body;
        private final long start;
        private final long end;
        private DefaultBHttpClientConnection connection;
        final Latencies latencies = new Latencies();
        final Map<String, Long> errors = new TreeMap<>();
        Exception failure;

        Client(ApiCalls.Post request, long start, long end) {
            this.request = request;
            this.target = HttpHost.create(request.uri());
            this.path = request.uri().getRawPath();
            this.body = new ByteArrayEntity(request.body(), ContentType.APPLICATION_JSON);
            this.start = start;
            this.end = end;
        }

        @Override
        public void run() {
            try {
                loop();
            } finally {
                if (connection != null) {
                    connection.close(CloseMode.IMMEDIATE);
                }
            }
        }

        private void loop() {
            while (true) {
                long sent = System.nanoTime();
                String error = null;
                try {
                    int status = post();
                    if (status != 201) {
                        error = "HTTP " + status;
                    }
                } catch (IOException | HttpException e) {
                    error = e.getClass().getSimpleName();
                    // The next request opens a new connection: this one may be half-way through an exchange.
                    if (connection != null) {
                        connection.close(CloseMode.IMMEDIATE);
                        connection = null;
                    }
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

        /** One POST on this client's connection, opened (again) if needed; the status, with the whole body read. */
        private int post() throws IOException, HttpException {
            if (connection == null || !connection.isOpen()) {
                connection = connect();
            }
            BasicClassicHttpRequest post = new BasicClassicHttpRequest(Method.POST, target, path);
            request.headers().forEach(post::addHeader);
            post.setEntity(body);
            HttpCoreContext context = HttpCoreContext.create();
            EXECUTOR.preProcess(post, PROCESSOR, context);
            try (ClassicHttpResponse response = EXECUTOR.execute(post, connection, context)) {
                EXECUTOR.postProcess(response, PROCESSOR, context);
                EntityUtils.consume(response.getEntity());
                if (!EXECUTOR.keepAlive(post, response, connection, context)) {
                    connection.close();
                }
                return response.getCode();
            }
        }

        private DefaultBHttpClientConnection connect() throws IOException {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(target.getHostName(), target.getPort()), 10_000);
                socket.setSoTimeout((int) ApiCalls.TIMEOUT.toMillis());
                DefaultBHttpClientConnection opened = new DefaultBHttpClientConnection(Http1Config.DEFAULT);
                opened.bind(socket);
                return opened;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
    }
}
