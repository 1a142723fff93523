package dev.parley.models.testing;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A fake Ollama server speaking the native API ({@code POST /api/chat}).
 *
 * <pre>{@code
 * try (FakeOllamaServer ollama = FakeOllamaServer.start()) {
 *     ollama.replyText("Hello!").usage(9, 2);
 *     ChatModel model = OllamaChatModel.builder().baseUrl(ollama.baseUrl()).build();
 *     ...
 * }
 * }</pre>
 *
 * Answers like Ollama: no key needed (a key, when sent, is a Bearer token; {@link #requireApiKey} plays Ollama's
 * cloud), {@code {"error": "..."}} bodies, tool calls without ids and with their arguments as an object,
 * {@code done_reason: stop} also for tool calls, a reply scripted {@code withThinking} sent in {@code thinking}. A
 * request streams unless it says {@code "stream": false}, as newline-delimited JSON: the thinking and the text in
 * several lines, tool calls whole, and a last line with {@code done: true}, the reason and the token counts.
 * Requests are checked as described in {@code OllamaRequestCheck}.
 */
public final class FakeOllamaServer extends FakeProviderServer {

    private FakeOllamaServer() {
        super("/api/chat");
        super.allowAnonymous();
    }

    public static FakeOllamaServer start() {
        return new FakeOllamaServer();
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    public FakeOllamaServer requireApiKey(String key) {
        super.requireApiKey(key);
        return this;
    }

    @Override
    public FakeOllamaServer allowAnonymous() {
        super.allowAnonymous();
        return this;
    }

    /** Ollama streams unless told not to. */
    @Override
    protected boolean streams(RecordedRequest request) {
        return request.json() == null || request.json().path("stream").asBoolean(true);
    }

    /** Ollama's error JSON has no type: {@code {"error": message}}. */
    @Override
    protected String errorBody(String type, String message) {
        return ParleyJson.write(ParleyJson.object().put("error", message));
    }

    @Override
    protected String rateLimitType() {
        return "rate_limit";
    }

    @Override
    protected String invalidRequestType() {
        return "invalid_request";
    }

    @Override
    protected String apiKeyOf(RecordedRequest request) {
        return request.header("authorization").filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7).strip()).orElse(null);
    }

    @Override
    protected void rejectKey(Exchange exchange, boolean missing) throws IOException {
        exchange.json(401, errorBody("unauthorized", "unauthorized"));
    }

    @Override
    protected Optional<String> validate(RecordedRequest request) {
        return OllamaRequestCheck.check(request.json());
    }

    // ---- answers -----------------------------------------------------------------------------------

    @Override
    protected void writeAnswer(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException {
        ObjectNode root = envelope(request);
        ObjectNode message = root.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        ArrayNode calls = ParleyJson.mapper().createArrayNode();
        for (ScriptedReply.Content content : reply.contents) {
            switch (content) {
                case ScriptedReply.Text t -> text.append(t.text());
                case ScriptedReply.Thinking th -> thinking.append(th.thinking());
                case ScriptedReply.Reasoning r -> thinking.append(r.text());
                case ScriptedReply.Call c -> addCall(calls, c);
            }
        }
        message.put("content", text.toString());
        if (!thinking.isEmpty()) {
            message.put("thinking", thinking.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        done(root, request, reply);
        exchange.json(200, ParleyJson.write(root));
    }

    @Override
    protected void writeStream(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException, InterruptedException {
        boolean paused = false;
        for (ScriptedReply.Content content : reply.contents) {
            switch (content) {
                case ScriptedReply.Text t -> {
                    for (String piece : chunks(t.text())) {
                        exchange.jsonLine(line(request, m -> m.put("content", piece)));
                        if (!paused && reply.gate != null) {
                            paused = true;
                            reply.gate.reachedAndWait();
                        }
                    }
                }
                case ScriptedReply.Thinking th -> thinkingLines(exchange, request, th.thinking());
                case ScriptedReply.Reasoning r -> thinkingLines(exchange, request, r.text());
                case ScriptedReply.Call c -> exchange.jsonLine(line(request, m -> addCall(m.put("content", "").putArray("tool_calls"), c)));
            }
        }
        ObjectNode last = envelope(request);
        last.putObject("message").put("role", "assistant").put("content", "");
        done(last, request, reply);
        exchange.jsonLine(ParleyJson.write(last));
        exchange.endStream();
    }

    @Override
    protected void writeStreamError(Exchange exchange, RecordedRequest request, String type, String message) throws IOException {
        exchange.jsonLine(line(request, m -> m.put("content", "")));
        exchange.jsonLine(errorBody(type, message));
        exchange.endStream();
    }

    @Override
    protected void writeMalformedStream(Exchange exchange) throws IOException {
        exchange.jsonLine("{\"model\": \"broken\", \"message\": {\"role\": \"assistant\", \"content\": ");
        exchange.endStream();
    }

    private void thinkingLines(Exchange exchange, RecordedRequest request, String thinking) throws IOException {
        for (String piece : chunks(thinking)) {
            exchange.jsonLine(line(request, m -> m.put("content", "").put("thinking", piece)));
        }
    }

    private static void addCall(ArrayNode calls, ScriptedReply.Call c) {
        String arguments = c.call().arguments().isBlank() ? "{}" : c.call().arguments();
        calls.addObject().putObject("function").put("name", c.call().name())
                .set("arguments", ParleyJson.parse(arguments, "scripted tool arguments"));
    }

    private static ObjectNode envelope(RecordedRequest request) {
        return ParleyJson.object().put("model", request.json().path("model").asString()).put("created_at", "2026-11-21T10:00:00.000000Z");
    }

    /** One line of a stream that is not the last. */
    private static String line(RecordedRequest request, Consumer<ObjectNode> fill) {
        ObjectNode line = envelope(request);
        fill.accept(line.putObject("message").put("role", "assistant"));
        line.put("done", false);
        return ParleyJson.write(line);
    }

    private static void done(ObjectNode root, RecordedRequest request, ScriptedReply reply) {
        root.put("done", true).put("done_reason", reply.finishReason != null ? reply.finishReason : "stop")
                .put("total_duration", 1_200_000_000L).put("load_duration", 50_000_000L)
                .put("prompt_eval_count", inputTokens(request, reply)).put("prompt_eval_duration", 200_000_000L)
                .put("eval_count", outputTokens(reply)).put("eval_duration", 900_000_000L);
    }
}
