package dev.parley.models.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process HTTP server on 127.0.0.1 (an ephemeral port) that plays one model provider: it records every
 * request, checks it the way the real API does in the essentials (answering 400 with the provider's error JSON
 * when it is wrong), and gives the scripted replies in order, streamed in the provider's framing (server-sent
 * events, or JSON lines for Ollama) when the request asks for a stream. A request when no reply is left gets a 500
 * naming the problem.
 */
public abstract class FakeProviderServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final String endpointPath;
    private final Queue<ScriptedReply> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger abortedExchanges = new AtomicInteger();
    private volatile String expectedApiKey;
    private volatile boolean anonymousAllowed;

    protected FakeProviderServer(String endpointPath) {
        this.endpointPath = endpointPath;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a fake provider server on 127.0.0.1", e);
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The root URL to give the adapter (e.g. {@code http://127.0.0.1:PORT/v1} for OpenAI). */
    public abstract String baseUrl();

    protected final String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- scripting ----------------------------------------------------------------------------------

    /** A plain text answer. */
    public ScriptedReply replyText(String text) {
        return enqueue(ScriptedReply.answer(List.of(new ScriptedReply.Text(text))));
    }

    /** An answer asking for these tool calls (several: parallel calls), optionally after some text. */
    public ScriptedReply replyToolCalls(Part.ToolCall... calls) {
        List<ScriptedReply.Content> contents = new ArrayList<>();
        for (Part.ToolCall call : calls) {
            contents.add(new ScriptedReply.Call(call));
        }
        return enqueue(ScriptedReply.answer(contents));
    }

    /** Text followed by tool calls, in one answer. */
    public ScriptedReply replyTextAndToolCalls(String text, Part.ToolCall... calls) {
        List<ScriptedReply.Content> contents = new ArrayList<>();
        contents.add(new ScriptedReply.Text(text));
        for (Part.ToolCall call : calls) {
            contents.add(new ScriptedReply.Call(call));
        }
        return enqueue(ScriptedReply.answer(contents));
    }

    /** A failed response with this status and exactly this body. */
    public ScriptedReply replyError(int status, String body) {
        return enqueue(ScriptedReply.error(status, body));
    }

    /** A failed response with the provider's own error JSON. */
    public ScriptedReply replyProviderError(int status, String type, String message) {
        return enqueue(ScriptedReply.error(status, errorBody(type, message)));
    }

    /** A 429 with the provider's rate-limit error, asking the client to wait this long the way the provider does. */
    public ScriptedReply replyRateLimited(long retryAfterSeconds) {
        return enqueue(rateLimited(retryAfterSeconds));
    }

    /** A text answer sent only after {@code delay}. */
    public ScriptedReply replySlow(Duration delay) {
        return replyText("a slow reply").delay(delay);
    }

    /**
     * A streamed reply that starts (the opening event and the first fragment of a tool call, no text) and then fails
     * with the provider's in-stream error event of this type (e.g. Anthropic's {@code overloaded_error}); a
     * non-streamed request gets the same error as a 500.
     */
    public ScriptedReply replyErrorInStream(String type, String message) {
        return enqueue(ScriptedReply.streamError(type, message));
    }

    /** A 200 whose body is not the provider's format (truncated JSON; in a stream, a broken event). */
    public ScriptedReply replyMalformed() {
        return enqueue(ScriptedReply.malformed());
    }

    /** Requires this exact key (default: any non-empty key); a wrong one gets the provider's 401. */
    public FakeProviderServer requireApiKey(String key) {
        this.expectedApiKey = key;
        return this;
    }

    /** Accepts requests without a key, like a local server. */
    public FakeProviderServer allowAnonymous() {
        this.anonymousAllowed = true;
        return this;
    }

    private ScriptedReply enqueue(ScriptedReply reply) {
        script.add(reply);
        return reply;
    }

    // ---- inspection ---------------------------------------------------------------------------------

    /** Every request received so far, in arrival order (also those rejected). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("the fake server has received no request");
        }
        return requests.getLast();
    }

    /** Exchanges that broke while the server was answering (the client went away: a cancelled stream, a timeout). */
    public int abortedExchanges() {
        return abortedExchanges.get();
    }

    /** Scripted replies not yet given. */
    public int pendingReplies() {
        return script.size();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- what each provider defines ------------------------------------------------------------------

    /** Whether a request to this method and path reaches the provider's endpoint (otherwise: 404). */
    protected boolean acceptsPath(String method, String path) {
        return method.equals("POST") && path.equals(endpointPath);
    }

    /** Whether the request asked for a streamed reply. */
    protected boolean streams(RecordedRequest request) {
        return request.streamed();
    }

    /** The provider's 429; by default its rate-limit error with {@code retry-after: seconds}. */
    protected ScriptedReply rateLimited(long retryAfterSeconds) {
        return ScriptedReply.error(429, errorBody(rateLimitType(), "Rate limit reached; please try again later"))
                .header("retry-after", Long.toString(retryAfterSeconds));
    }

    /** The provider's error JSON. */
    protected abstract String errorBody(String type, String message);

    protected abstract String rateLimitType();

    /** The key the request carries, or null. */
    protected abstract String apiKeyOf(RecordedRequest request);

    /** The provider's answer to a missing or wrong key. */
    protected abstract void rejectKey(Exchange exchange, boolean missing) throws IOException;

    /** Problems with the request, as the provider would word them (first one reported); empty when valid. */
    protected abstract Optional<String> validate(RecordedRequest request);

    protected abstract String invalidRequestType();

    protected abstract void writeAnswer(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException;

    protected abstract void writeStream(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException, InterruptedException;

    protected abstract void writeMalformedStream(Exchange exchange) throws IOException;

    /** The stream's opening, then the provider's error event. */
    protected abstract void writeStreamError(Exchange exchange, RecordedRequest request, String type, String message) throws IOException;

    // ---- handling ------------------------------------------------------------------------------------

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            Exchange exchange = new Exchange(http);
            RecordedRequest request = record(http);
            requests.add(request);
            if (!acceptsPath(request.method(), request.path())) {
                exchange.json(404, errorBody("not_found_error", "Invalid URL (" + request.method() + " " + request.path() + ")"));
                return;
            }
            String key = apiKeyOf(request);
            if (!anonymousAllowed && (key == null || key.isEmpty())) {
                rejectKey(exchange, true);
                return;
            }
            if (expectedApiKey != null && !expectedApiKey.equals(key)) {
                rejectKey(exchange, false);
                return;
            }
            if (request.json() == null || !request.json().isObject()) {
                exchange.json(400, errorBody(invalidRequestType(), "We could not parse the JSON body of your request."));
                return;
            }
            Optional<String> problem = validate(request);
            if (problem.isPresent()) {
                exchange.json(400, errorBody(invalidRequestType(), problem.get()));
                return;
            }
            ScriptedReply reply = script.poll();
            if (reply == null) {
                exchange.json(500, errorBody("api_error", "fake server: no scripted reply left for request #" + requests.size()));
                return;
            }
            if (!reply.delay.isZero() && closing.await(reply.delay.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            reply.headers.forEach(exchange::header);
            switch (reply.kind) {
                case ERROR -> exchange.json(reply.status, reply.body);
                case STREAM_ERROR -> {
                    String type = ((ScriptedReply.Text) reply.contents.getFirst()).text();
                    if (streams(request)) {
                        writeStreamError(exchange, request, type, reply.body);
                    } else {
                        exchange.json(500, errorBody(type, reply.body));
                    }
                }
                case MALFORMED -> {
                    if (streams(request)) {
                        writeMalformedStream(exchange);
                    } else {
                        exchange.json(200, "{\"id\": \"broken\", \"choices\": [{\"message\": ");
                    }
                }
                case ANSWER -> {
                    if (streams(request)) {
                        writeStream(exchange, request, reply);
                    } else {
                        writeAnswer(exchange, request, reply);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            abortedExchanges.incrementAndGet();
        }
    }

    private static RecordedRequest record(HttpExchange http) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        http.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        String body;
        try (InputStream in = http.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode json;
        try {
            json = body.isEmpty() ? null : ParleyJson.mapper().readTree(body);
        } catch (JacksonException e) {
            json = null;
        }
        return new RecordedRequest(http.getRequestMethod(), http.getRequestURI().getPath(), headers, body, json,
                http.getRequestURI().getRawQuery());
    }

    // ---- helpers for subclasses ----------------------------------------------------------------------

    protected final String nextId(String prefix) {
        return prefix + ids.incrementAndGet();
    }

    protected static int inputTokens(RecordedRequest request, ScriptedReply reply) {
        return reply.inputTokens != null ? reply.inputTokens : Math.max(1, request.body().length() / 4);
    }

    protected static int outputTokens(ScriptedReply reply) {
        if (reply.outputTokens != null) {
            return reply.outputTokens;
        }
        int tokens = 0;
        for (ScriptedReply.Content content : reply.contents) {
            tokens += switch (content) {
                case ScriptedReply.Text t -> t.text().isBlank() ? 0 : t.text().strip().split("\\s+").length;
                case ScriptedReply.Call c -> 10;
                case ScriptedReply.Thinking th -> th.thinking().isBlank() ? 0 : th.thinking().strip().split("\\s+").length;
                case ScriptedReply.Reasoning r -> r.text().isBlank() ? 0 : r.text().strip().split("\\s+").length;
            };
        }
        return tokens;
    }

    /** Splits text into several stream chunks, at word boundaries (the space goes with the next word). */
    protected static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Splits JSON text into a few pieces, as providers stream tool arguments. */
    protected static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int size = Math.max(1, (text.length() + 2) / 3);
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }

    /** One HTTP exchange: sends a JSON body, or server-sent events (or JSON lines) flushed one by one. */
    protected static final class Exchange {
        private final HttpExchange http;
        private OutputStream events;

        Exchange(HttpExchange http) {
            this.http = http;
        }

        public void header(String name, String value) {
            http.getResponseHeaders().add(name, value);
        }

        public void json(int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().set("content-type", "application/json");
            http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }

        /** Writes one event ({@code event:} line only when named) and flushes it. */
        public void event(String name, String data) throws IOException {
            if (events == null) {
                http.getResponseHeaders().set("content-type", "text/event-stream");
                http.getResponseHeaders().set("cache-control", "no-cache");
                http.sendResponseHeaders(200, 0);
                events = http.getResponseBody();
            }
            String frame = (name != null ? "event: " + name + "\n" : "") + "data: " + data + "\n\n";
            events.write(frame.getBytes(StandardCharsets.UTF_8));
            events.flush();
        }

        /** Writes one line of a newline-delimited JSON stream ({@code application/x-ndjson}) and flushes it. */
        public void jsonLine(String json) throws IOException {
            if (events == null) {
                http.getResponseHeaders().set("content-type", "application/x-ndjson");
                http.sendResponseHeaders(200, 0);
                events = http.getResponseBody();
            }
            events.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            events.flush();
        }

        public void endStream() throws IOException {
            if (events != null) {
                events.close();
            }
        }
    }
}
