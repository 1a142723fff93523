package dev.parley.models.anthropic;

import dev.parley.InvalidInputException;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;
import dev.parley.models.Usage;
import dev.parley.models.internal.Replies;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.SseEvent;
import dev.parley.models.internal.StreamDecoder;
import dev.parley.models.internal.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Assembles an Anthropic Messages stream: {@code message_start} (model, input usage), per content block a
 * {@code content_block_start}, deltas ({@code text_delta} to the handler as it comes; {@code input_json_delta},
 * {@code thinking_delta} and {@code signature_delta} collected) and a {@code content_block_stop};
 * {@code message_delta} (stop reason, output usage); {@code message_stop} ends it. {@code ping} is ignored,
 * {@code error} fails the stream with the mapped exception.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
    private final String provider;
    private final String requestedModel;
    private final Secret secret;
    private final AnthropicReplies replies;
    private final AnthropicErrors errors;

    private final TreeMap<Integer, Block> blocks = new TreeMap<>();
    private Usage usage = Usage.ZERO;
    private String model;
    private String stopReason;

    /** One content block being streamed: its start event, plus what its deltas added. */
    private static final class Block {
        final ObjectNode start;
        final StringBuilder text = new StringBuilder();
        final StringBuilder json = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        String signature;

        Block(ObjectNode start) {
            this.start = start;
        }
    }

    AnthropicStreamDecoder(String provider, String requestedModel, Secret secret, AnthropicReplies replies, AnthropicErrors errors) {
        this.provider = provider;
        this.requestedModel = requestedModel;
        this.secret = secret;
        this.replies = replies;
        this.errors = errors;
    }

    @Override
    public boolean accept(SseEvent event, Consumer<String> onText) {
        JsonNode data = WireJson.object(provider, event.data(), 200, "a stream event", secret);
        String type = WireJson.text(data, "type", event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                model = WireJson.text(message, "model", null);
                usage = AnthropicReplies.usage(message.path("usage"), usage);
            }
            case "content_block_start" -> {
                if (!(data.get("content_block") instanceof ObjectNode start)) {
                    throw WireJson.malformed(provider, "content_block_start without a content_block", data, secret);
                }
                // a restarted block would drop what its deltas added, text the caller has already been shown
                if (blocks.putIfAbsent(index(data), new Block(start)) != null) {
                    throw WireJson.malformed(provider, "content block " + index(data) + " started twice", data, secret);
                }
                // the start of a text block may already hold text: shown now, as the reply will hold it
                String initial = "text".equals(WireJson.text(start, "type", "")) ? WireJson.text(start, "text", "") : "";
                if (!initial.isEmpty()) {
                    onText.accept(initial);
                }
            }
            case "content_block_delta" -> delta(data, onText);
            case "message_delta" -> {
                String reason = WireJson.text(data.path("delta"), "stop_reason", null);
                if (reason != null) {
                    stopReason = reason;
                }
                usage = AnthropicReplies.usage(data.path("usage"), usage);
            }
            case "message_stop" -> {
                return true;
            }
            case "error" -> throw errors.fromStreamError(data.path("error"));
            default -> {
                // ping, content_block_stop and event types added to the API later carry nothing to keep.
            }
        }
        return false;
    }

    private void delta(JsonNode data, Consumer<String> onText) {
        int index = index(data);
        Block block = blocks.get(index);
        if (block == null) {
            throw WireJson.malformed(provider, "a delta for content block " + index + " that never started", data, secret);
        }
        JsonNode delta = data.path("delta");
        switch (WireJson.text(delta, "type", "")) {
            case "text_delta" -> {
                // text shown to the caller must end up in the reply, which keeps text only from text blocks
                if (!"text".equals(WireJson.text(block.start, "type", ""))) {
                    throw WireJson.malformed(provider, "a text_delta for content block " + index + ", which is not a text block",
                            data, secret);
                }
                String text = WireJson.text(delta, "text", "");
                if (!text.isEmpty()) {
                    block.text.append(text);
                    onText.accept(text);
                }
            }
            case "input_json_delta" -> block.json.append(WireJson.text(delta, "partial_json", ""));
            case "thinking_delta" -> block.thinking.append(WireJson.text(delta, "thinking", ""));
            case "signature_delta" -> block.signature = WireJson.text(delta, "signature", null);
            default -> {
                // citations_delta and future delta types do not change the neutral reply.
            }
        }
    }

    private int index(JsonNode data) {
        JsonNode index = data.get("index");
        if (index == null || !index.canConvertToInt()) {
            throw WireJson.malformed(provider, "a content block event without an index", data, secret);
        }
        return index.intValue();
    }

    /** The streamed arguments, canonical when they are JSON, verbatim when the model produced something else. */
    private Part.ToolCall toolCall(ObjectNode start, String json) {
        String id = WireJson.text(start, "id", "");
        String name = WireJson.text(start, "name", "");
        if (id.isBlank() || name.isBlank()) {
            throw WireJson.malformed(provider, "a tool_use block needs an id and a name", start, secret);
        }
        String arguments;
        try {
            JsonNode tree = json.isEmpty() ? ParleyJson.object() : ParleyJson.mapper().readTree(json);
            // An escaped unpaired surrogate stays escaped, as sent: written out it would be a '?' in the session.
            ParleyJson.requireWellFormed(json, tree, "arguments");
            arguments = ParleyJson.write(tree);
        } catch (JacksonException | InvalidInputException e) {
            arguments = json;
        }
        return new Part.ToolCall(id, name, arguments);
    }

    @Override
    public ChatResponse finish(boolean completed) {
        if (!completed) {
            throw new ModelException.MalformedResponse(provider, provider
                    + ": the stream ended before the reply was complete (no message_stop)", 200, null);
        }
        List<Part> parts = new ArrayList<>();
        for (Block block : blocks.values()) {
            ObjectNode whole = block.start.deepCopy();
            switch (WireJson.text(whole, "type", "")) {
                case "text" -> whole.put("text", WireJson.text(whole, "text", "") + block.text);
                case "tool_use" -> {
                    parts.add(toolCall(whole, block.json.toString().strip()));
                    continue;
                }
                case "thinking" -> {
                    whole.put("thinking", WireJson.text(whole, "thinking", "") + block.thinking);
                    if (block.signature != null) {
                        whole.put("signature", block.signature);
                    }
                }
                default -> {
                }
            }
            parts.add(replies.part(whole, requestedModel));
        }
        return new ChatResponse(Replies.assistant(parts), usage, AnthropicReplies.finishReason(stopReason), stopReason,
                model != null ? model : requestedModel);
    }
}
