package dev.parley.server.internal;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatResponse;
import dev.parley.models.FinishReason;
import dev.parley.models.Usage;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The gateway's answers in OpenAI's Chat Completions format: a {@code chat.completion} object, or the
 * {@code chat.completion.chunk} objects of a stream.
 */
final class Completions {
    private Completions() {
    }

    /**
     * A finished reply as the client sees it.
     *
     * @param reply  the assistant's message (restored: originals, not placeholders)
     * @param usage  the tokens of the model calls behind it
     * @param finish why the model stopped
     * @param model  the model that answered
     */
    record Answer(Message reply, Usage usage, FinishReason finish, String model) {
        static Answer of(ChatResponse response, String fallbackModel) {
            return new Answer(response.message(), response.usage(), response.finishReason(),
                    response.model() != null ? response.model() : fallbackModel);
        }
    }

    /**
     * A new completion id, {@code chatcmpl-…} like OpenAI's: 128 random bits, as unique as a UUID's. It names a reply
     * and grants nothing, so it comes from a fast generator; a UUID (SecureRandom) was 1.4% of the server's Java
     * samples per gateway call.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return "chatcmpl-" + hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }

    static ObjectNode completion(String id, long created, Answer answer) {
        ObjectNode root = ParleyJson.object().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", answer.model());
        root.putNull("system_fingerprint");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String text = text(answer.reply());
        List<Part.ToolCall> calls = answer.reply().toolCalls();
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            message.set("tool_calls", toolCalls(calls, false));
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(answer));
        usage(root, answer.usage());
        return root;
    }

    /** A chunk of a stream with one choice whose delta {@code fill} writes ({@code finish}: null until the last). */
    static ObjectNode chunk(String id, long created, String model, Consumer<ObjectNode> fill, String finish) {
        ObjectNode root = chunkEnvelope(id, created, model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        fill.accept(choice.putObject("delta"));
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return root;
    }

    /** The chunk after the last choice chunk when the client asked for usage ({@code stream_options.include_usage}). */
    static ObjectNode usageChunk(String id, long created, String model, Usage usage) {
        ObjectNode root = chunkEnvelope(id, created, model);
        root.putArray("choices");
        usage(root, usage);
        return root;
    }

    private static ObjectNode chunkEnvelope(String id, long created, String model) {
        ObjectNode root = ParleyJson.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        root.putNull("system_fingerprint");
        return root;
    }

    /** Tool calls as OpenAI writes them; in a stream delta each also carries its {@code index}. */
    static ArrayNode toolCalls(List<Part.ToolCall> calls, boolean indexed) {
        ArrayNode out = ParleyJson.mapper().createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            Part.ToolCall call = calls.get(i);
            ObjectNode node = out.addObject();
            if (indexed) {
                node.put("index", i);
            }
            node.put("id", call.id()).put("type", "function").putObject("function").put("name", call.name())
                    .put("arguments", call.arguments());
        }
        return out;
    }

    static String finishReason(Answer answer) {
        if (!answer.reply().toolCalls().isEmpty()) {
            return "tool_calls";
        }
        return switch (answer.finish()) {
            case LENGTH -> "length";
            case CONTENT_FILTER -> "content_filter";
            case TOOL_CALLS -> "tool_calls";
            case STOP, OTHER -> "stop";
        };
    }

    /** The reply's text parts: what OpenAI calls the message's content. */
    static String text(Message message) {
        StringBuilder out = new StringBuilder();
        for (Part part : message.parts()) {
            if (part instanceof Part.Text t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    private static void usage(ObjectNode root, Usage usage) {
        root.putObject("usage").put("prompt_tokens", usage.inputTokens()).put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.totalTokens());
    }
}
