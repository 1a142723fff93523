package dev.parley.models.testing;

import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A fake OpenAI Chat Completions server ({@code POST /v1/chat/completions}).
 *
 * <pre>{@code
 * try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
 *     openai.replyText("Hello!").usage(9, 2);
 *     ChatModel model = OpenAiChatModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-test").build();
 *     model.chat(ChatRequest.of("gpt-4o-mini", List.of(Message.user("Hi"))));
 *     assertThat(openai.lastRequest().json().at("/messages/0/content").asString()).isEqualTo("Hi");
 * }
 * }</pre>
 *
 * Checked like the real API: a Bearer key; {@code model} and a non-empty {@code messages}; no unknown top-level
 * parameter (so {@code top_k} is rejected); not both {@code max_tokens} and {@code max_completion_tokens}; ranges of
 * {@code temperature} / {@code top_p}; at most 4 stop sequences; {@code stream_options} only with {@code stream};
 * message roles and content shapes; every assistant {@code tool_calls} id answered by a following tool message,
 * and every tool message answering such an id. Streams send a role chunk, the text in several chunks, tool calls
 * in fragments, a finish chunk, a usage chunk when {@code stream_options.include_usage}, then {@code [DONE]}.
 */
public final class FakeOpenAiServer extends FakeProviderServer {

    private FakeOpenAiServer() {
        super("/v1/chat/completions");
    }

    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer();
    }

    @Override
    public String baseUrl() {
        return origin() + "/v1";
    }

    @Override
    public FakeOpenAiServer requireApiKey(String key) {
        super.requireApiKey(key);
        return this;
    }

    @Override
    public FakeOpenAiServer allowAnonymous() {
        super.allowAnonymous();
        return this;
    }

    /**
     * OpenAI's error JSON. {@code code} is the error's code, as OpenAI sends it ({@code context_length_exceeded},
     * {@code rate_limit_exceeded}, {@code invalid_api_key}, {@code insufficient_quota} …); a plain
     * {@code invalid_request_error} or {@code server_error} is a type with a null code.
     */
    @Override
    protected String errorBody(String code, String message) {
        String type = switch (code) {
            case "context_length_exceeded", "invalid_api_key", "model_not_found" -> "invalid_request_error";
            case "rate_limit_exceeded" -> "requests";
            default -> code;
        };
        ObjectNode root = ParleyJson.object();
        ObjectNode error = root.putObject("error").put("message", message).put("type", type);
        error.putNull("param");
        if (type.equals(code) && (code.equals("invalid_request_error") || code.equals("server_error"))) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return ParleyJson.write(root);
    }

    @Override
    protected String rateLimitType() {
        return "rate_limit_exceeded";
    }

    @Override
    protected String invalidRequestType() {
        return "invalid_request_error";
    }

    @Override
    protected String apiKeyOf(RecordedRequest request) {
        return request.header("authorization").filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7).strip()).orElse(null);
    }

    @Override
    protected void rejectKey(Exchange exchange, boolean missing) throws IOException {
        exchange.json(401, errorBody("invalid_api_key", missing
                ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth."
                : "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."));
    }

    // ---- validation --------------------------------------------------------------------------------

    @Override
    protected Optional<String> validate(RecordedRequest request) {
        return OpenAiRequestCheck.check(request.json());
    }

    // ---- answers -----------------------------------------------------------------------------------

    @Override
    protected void writeAnswer(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException {
        ObjectNode root = envelope("chat.completion", request);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = ParleyJson.mapper().createArrayNode();
        for (ScriptedReply.Content content : reply.contents) {
            switch (content) {
                case ScriptedReply.Text t -> text.append(t.text());
                case ScriptedReply.Call c -> calls.addObject().put("id", c.call().id()).put("type", "function")
                        .putObject("function").put("name", c.call().name()).put("arguments", c.call().arguments());
                case ScriptedReply.Reasoning r -> message.put("reasoning_content", r.text());
                case ScriptedReply.Thinking th -> message.put("reasoning_content", th.thinking());
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply, calls.isEmpty()));
        usage(root.putObject("usage"), request, reply);
        exchange.json(200, ParleyJson.write(root));
    }

    @Override
    protected void writeStream(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException, InterruptedException {
        ObjectNode first = chunk(request);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                .put("role", "assistant").put("content", "");
        exchange.event(null, ParleyJson.write(first));
        boolean paused = false;
        int callIndex = 0;
        for (ScriptedReply.Content content : reply.contents) {
            switch (content) {
                case ScriptedReply.Text t -> {
                    for (String piece : chunks(t.text())) {
                        exchange.event(null, ParleyJson.write(delta(request, d -> d.put("content", piece))));
                        if (!paused && reply.gate != null) {
                            paused = true;
                            reply.gate.reachedAndWait();
                        }
                    }
                }
                case ScriptedReply.Reasoning r -> {
                    for (String piece : chunks(r.text())) {
                        exchange.event(null, ParleyJson.write(delta(request, d -> d.put("reasoning_content", piece))));
                    }
                }
                case ScriptedReply.Thinking th -> exchange.event(null,
                        ParleyJson.write(delta(request, d -> d.put("reasoning_content", th.thinking()))));
                case ScriptedReply.Call c -> {
                    int index = callIndex++;
                    Part.ToolCall call = c.call();
                    exchange.event(null, ParleyJson.write(delta(request, d -> {
                        ObjectNode fragment = d.putArray("tool_calls").addObject().put("index", index).put("id", call.id())
                                .put("type", "function");
                        fragment.putObject("function").put("name", call.name()).put("arguments", "");
                    })));
                    for (String piece : pieces(call.arguments())) {
                        exchange.event(null, ParleyJson.write(delta(request, d -> d.putArray("tool_calls").addObject()
                                .put("index", index).putObject("function").put("arguments", piece))));
                    }
                }
            }
        }
        ObjectNode last = chunk(request);
        last.withArray("choices").addObject().put("index", 0).put("finish_reason", finishReason(reply, callIndex == 0))
                .putObject("delta");
        exchange.event(null, ParleyJson.write(last));
        if (request.json().path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = chunk(request);
            usage.putArray("choices");
            usage(usage.putObject("usage"), request, reply);
            exchange.event(null, ParleyJson.write(usage));
        }
        exchange.event(null, "[DONE]");
        exchange.endStream();
    }

    @Override
    protected void writeStreamError(Exchange exchange, RecordedRequest request, String type, String message) throws IOException {
        ObjectNode first = chunk(request);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                .put("role", "assistant").put("content", "");
        exchange.event(null, ParleyJson.write(first));
        exchange.event(null, ParleyJson.write(delta(request, d -> d.putArray("tool_calls").addObject().put("index", 0)
                .put("id", "call_interrupted").put("type", "function").putObject("function").put("name", "interrupted")
                .put("arguments", "{\"par"))));
        exchange.event(null, errorBody(type, message));
        exchange.endStream();
    }

    @Override
    protected void writeMalformedStream(Exchange exchange) throws IOException {
        exchange.event(null, "{\"id\": \"chatcmpl-broken\", \"choices\": [{\"delta\": ");
        exchange.endStream();
    }

    private ObjectNode envelope(String object, RecordedRequest request) {
        return ParleyJson.object().put("id", nextId("chatcmpl-")).put("object", object).put("created", 1_700_000_000L)
                .put("model", request.json().path("model").asString());
    }

    private ObjectNode chunk(RecordedRequest request) {
        return envelope("chat.completion.chunk", request);
    }

    private ObjectNode delta(RecordedRequest request, Consumer<ObjectNode> fill) {
        ObjectNode chunk = chunk(request);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putNull("finish_reason");
        fill.accept(choice.putObject("delta"));
        return chunk;
    }

    private static String finishReason(ScriptedReply reply, boolean noCalls) {
        return reply.finishReason != null ? reply.finishReason : noCalls ? "stop" : "tool_calls";
    }

    private static void usage(ObjectNode usage, RecordedRequest request, ScriptedReply reply) {
        int input = inputTokens(request, reply);
        int output = outputTokens(reply);
        usage.put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
    }
}
