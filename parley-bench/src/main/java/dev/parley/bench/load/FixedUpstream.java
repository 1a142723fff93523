package dev.parley.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI Chat Completions upstream that answers every {@code POST /v1/chat/completions} at once with the same
 * {@code chat.completion}: the gateway's added latency is measured against it, so it must cost next to nothing and the
 * same for every caller. It reads (and discards) the request body, checks the bearer key, and keeps the connection
 * alive. Anything else gets 404.
 */
final class FixedUpstream implements AutoCloseable {
    /** The key the server is configured with ({@code OPENAI_API_KEY}); a request without it is refused with 401. */
    static final String API_KEY = "sk-bench-fixed-upstream";
    static final String REPLY = "Sure: the order ships on Monday and arrives two days later.";
    private static final byte[] COMPLETION = ("""
            {"id":"chatcmpl-bench","object":"chat.completion","created":1763700000,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":42,"completion_tokens":14,"total_tokens":56}}""".formatted(REPLY))
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private FixedUpstream(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static FixedUpstream start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        FixedUpstream upstream = new FixedUpstream(server, executor);
        server.createContext("/", upstream::handle);
        server.setExecutor(executor);
        server.start();
        return upstream;
    }

    /** The base URL an OpenAI client is given, e.g. {@code http://127.0.0.1:41234/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    long answered() {
        return answered.get();
    }

    /** Requests refused (wrong path, method or key): the run fails if there are any. */
    long refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
            boolean known = exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestURI().getPath().equals("/v1/chat/completions");
            if (!known) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, COMPLETION.length);
            exchange.getResponseBody().write(COMPLETION);
            answered.incrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
