package dev.parley.models.testing;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake Anthropic Messages server ({@code POST /v1/messages}).
 *
 * <pre>{@code
 * try (FakeAnthropicServer anthropic = FakeAnthropicServer.start()) {
 *     anthropic.replyText("Hello!").withThinking("The user greets me.");
 *     ChatModel model = AnthropicChatModel.builder().baseUrl(anthropic.baseUrl()).apiKey("sk-ant-test").build();
 *     ...
 * }
 * }</pre>
 *
 * Checked like the real API: {@code x-api-key} and {@code anthropic-version} headers; {@code model} and
 * {@code max_tokens} required; no unknown top-level field; temperature 0–1; roles only user and assistant, and
 * alternating; non-empty text blocks; image sources; every {@code tool_use} answered by a {@code tool_result} at
 * the start of the next user message and every {@code tool_result} answering one; thinking blocks carrying a
 * signature this server issued for the same model; with thinking enabled, an assistant turn whose tool calls are
 * being answered must start with its thinking block. Streams send {@code message_start}, {@code ping}, per block
 * {@code content_block_start} / deltas / {@code content_block_stop}, {@code message_delta} and {@code message_stop}.
 */
public final class FakeAnthropicServer extends FakeProviderServer {

    /** Signatures this server issued, and the model each was issued for. */
    private final Map<String, String> signatures = new ConcurrentHashMap<>();
    private final AnthropicRequestCheck check = new AnthropicRequestCheck(signatures);

    private FakeAnthropicServer() {
        super("/v1/messages");
    }

    public static FakeAnthropicServer start() {
        return new FakeAnthropicServer();
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    public FakeAnthropicServer requireApiKey(String key) {
        super.requireApiKey(key);
        return this;
    }

    @Override
    public FakeAnthropicServer allowAnonymous() {
        super.allowAnonymous();
        return this;
    }

    /** Anthropic's error JSON; {@code type} is e.g. {@code invalid_request_error}, {@code overloaded_error}. */
    @Override
    protected String errorBody(String type, String message) {
        ObjectNode root = ParleyJson.object().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        root.put("request_id", nextId("req_"));
        return ParleyJson.write(root);
    }

    @Override
    protected String rateLimitType() {
        return "rate_limit_error";
    }

    @Override
    protected String invalidRequestType() {
        return "invalid_request_error";
    }

    @Override
    protected String apiKeyOf(RecordedRequest request) {
        return request.header("x-api-key").orElse(null);
    }

    @Override
    protected void rejectKey(Exchange exchange, boolean missing) throws IOException {
        exchange.json(401, errorBody("authentication_error", missing ? "x-api-key header is required" : "invalid x-api-key"));
    }

    // ---- validation --------------------------------------------------------------------------------

    @Override
    protected Optional<String> validate(RecordedRequest request) {
        return check.check(request);
    }

    // ---- answers -----------------------------------------------------------------------------------

    @Override
    protected void writeAnswer(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException {
        String model = request.json().path("model").asString();
        ObjectNode root = ParleyJson.object().put("id", nextId("msg_")).put("type", "message").put("role", "assistant")
                .put("model", model);
        ArrayNode content = root.putArray("content");
        for (ScriptedReply.Content c : reply.contents) {
            content.add(block(c, model));
        }
        root.put("stop_reason", stopReason(reply));
        root.putNull("stop_sequence");
        root.putObject("usage").put("input_tokens", inputTokens(request, reply)).put("output_tokens", outputTokens(reply));
        exchange.json(200, ParleyJson.write(root));
    }

    @Override
    protected void writeStream(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException, InterruptedException {
        String model = request.json().path("model").asString();
        ObjectNode start = ParleyJson.object().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", nextId("msg_")).put("type", "message")
                .put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", inputTokens(request, reply)).put("output_tokens", 1);
        exchange.event("message_start", ParleyJson.write(start));
        exchange.event("ping", "{\"type\": \"ping\"}");
        boolean paused = false;
        int index = 0;
        for (ScriptedReply.Content c : reply.contents) {
            ObjectNode whole = block(c, model);
            ObjectNode initial = whole.deepCopy();
            switch (c) {
                case ScriptedReply.Text t -> initial.put("text", "");
                case ScriptedReply.Thinking th -> initial.put("thinking", "").remove("signature");
                case ScriptedReply.Reasoning r -> initial.put("thinking", "").remove("signature");
                case ScriptedReply.Call call -> initial.putObject("input");
            }
            exchange.event("content_block_start", ParleyJson.write(ParleyJson.object().put("type", "content_block_start")
                    .put("index", index).set("content_block", initial)));
            switch (c) {
                case ScriptedReply.Text t -> {
                    for (String piece : chunks(t.text())) {
                        delta(exchange, index, "text_delta", "text", piece);
                        if (!paused && reply.gate != null) {
                            paused = true;
                            reply.gate.reachedAndWait();
                        }
                    }
                }
                case ScriptedReply.Thinking th -> thinkingDeltas(exchange, index, whole);
                case ScriptedReply.Reasoning r -> thinkingDeltas(exchange, index, whole);
                case ScriptedReply.Call call -> {
                    for (String piece : pieces(call.call().arguments())) {
                        delta(exchange, index, "input_json_delta", "partial_json", piece);
                    }
                }
            }
            exchange.event("content_block_stop", "{\"type\": \"content_block_stop\", \"index\": " + index + "}");
            index++;
        }
        ObjectNode delta = ParleyJson.object().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", outputTokens(reply));
        exchange.event("message_delta", ParleyJson.write(delta));
        exchange.event("message_stop", "{\"type\": \"message_stop\"}");
        exchange.endStream();
    }

    private void thinkingDeltas(Exchange exchange, int index, ObjectNode whole) throws IOException {
        for (String piece : chunks(whole.path("thinking").asString())) {
            delta(exchange, index, "thinking_delta", "thinking", piece);
        }
        delta(exchange, index, "signature_delta", "signature", whole.path("signature").asString());
    }

    @Override
    protected void writeStreamError(Exchange exchange, RecordedRequest request, String type, String message) throws IOException {
        exchange.event("message_start", "{\"type\": \"message_start\", \"message\": {\"id\": \"" + nextId("msg_")
                + "\", \"type\": \"message\", \"role\": \"assistant\", \"content\": [], \"model\": \""
                + request.json().path("model").asString() + "\", \"usage\": {\"input_tokens\": 1, \"output_tokens\": 1}}}");
        exchange.event("content_block_start", "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\": "
                + "{\"type\": \"tool_use\", \"id\": \"toolu_interrupted\", \"name\": \"interrupted\", \"input\": {}}}");
        delta(exchange, 0, "input_json_delta", "partial_json", "{\"par");
        ObjectNode error = ParleyJson.object().put("type", "error");
        error.putObject("error").put("type", type).put("message", message);
        exchange.event("error", ParleyJson.write(error));
        exchange.endStream();
    }

    @Override
    protected void writeMalformedStream(Exchange exchange) throws IOException {
        exchange.event("message_start", "{\"type\": \"message_start\", \"message\": {\"id\": \"msg_broken\", \"type\": \"message\", "
                + "\"role\": \"assistant\", \"content\": [], \"model\": \"m\", \"usage\": {\"input_tokens\": 1, \"output_tokens\": 1}}}");
        exchange.event("content_block_start", "{\"type\": \"content_block_start\", \"index\": 0, \"content_blo");
        exchange.endStream();
    }

    private static void delta(Exchange exchange, int index, String type, String field, String value) throws IOException {
        ObjectNode event = ParleyJson.object().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", type).put(field, value);
        exchange.event("content_block_delta", ParleyJson.write(event));
    }

    private ObjectNode block(ScriptedReply.Content content, String model) {
        return switch (content) {
            case ScriptedReply.Text t -> ParleyJson.object().put("type", "text").put("text", t.text());
            case ScriptedReply.Thinking th -> ParleyJson.object().put("type", "thinking").put("thinking", th.thinking())
                    .put("signature", th.signature() != null ? th.signature() : issueSignature(model));
            case ScriptedReply.Reasoning r -> ParleyJson.object().put("type", "thinking").put("thinking", r.text())
                    .put("signature", issueSignature(model));
            case ScriptedReply.Call c -> {
                ObjectNode use = ParleyJson.object().put("type", "tool_use").put("id", c.call().id()).put("name", c.call().name());
                use.set("input", ParleyJson.parse(c.call().arguments().isBlank() ? "{}" : c.call().arguments(), "scripted tool arguments"));
                yield use;
            }
        };
    }

    private String issueSignature(String model) {
        String signature = Base64.getEncoder().encodeToString((nextId("signature-") + "|" + model).getBytes(StandardCharsets.UTF_8));
        signatures.put(signature, model);
        return signature;
    }

    private static String stopReason(ScriptedReply reply) {
        if (reply.finishReason != null) {
            return reply.finishReason;
        }
        return reply.contents.stream().anyMatch(c -> c instanceof ScriptedReply.Call) ? "tool_use" : "end_turn";
    }
}
