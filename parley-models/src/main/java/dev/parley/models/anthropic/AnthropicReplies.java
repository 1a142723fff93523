package dev.parley.models.anthropic;

import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatResponse;
import dev.parley.models.FinishReason;
import dev.parley.models.Usage;
import dev.parley.models.internal.Replies;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.WireJson;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps an Anthropic Messages response back to the neutral reply, keeping the order of the content blocks:
 * {@code text} as text, {@code tool_use} as tool calls (the input object as JSON text), and every other block
 * ({@code thinking} with its signature, {@code redacted_thinking}, server-tool blocks) as an opaque part that is
 * replayed verbatim to the same model. The opaque part records the model the caller asked for, which is what
 * the next request will name.
 */
final class AnthropicReplies {
    private final String provider;
    private final Secret secret;

    AnthropicReplies(String provider, Secret secret) {
        this.provider = provider;
        this.secret = secret;
    }

    ChatResponse parse(String body, String requestedModel) {
        JsonNode root = WireJson.object(provider, body, 200, "the response", secret);
        JsonNode content = root.path("content");
        if (!content.isArray()) {
            throw WireJson.malformed(provider, "the response has no content array", root, secret);
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode block : content) {
            parts.add(part(block, requestedModel));
        }
        String raw = WireJson.text(root, "stop_reason", null);
        return new ChatResponse(Replies.assistant(parts), usage(root.path("usage"), Usage.ZERO), finishReason(raw), raw,
                WireJson.text(root, "model", requestedModel));
    }

    Part part(JsonNode block, String requestedModel) {
        String type = WireJson.text(block, "type", "");
        return switch (type) {
            case "text" -> new Part.Text(WireJson.text(block, "text", ""));
            case "tool_use" -> {
                String id = WireJson.text(block, "id", "");
                String name = WireJson.text(block, "name", "");
                // blank ones would otherwise surface as the domain's InvalidInputException, blaming the caller's input
                if (id.isBlank() || name.isBlank()) {
                    throw WireJson.malformed(provider, "a tool_use block needs an id and a name", block, secret);
                }
                JsonNode input = block.path("input");
                yield new Part.ToolCall(id, name, input.isObject() ? ParleyJson.write(input) : "{}");
            }
            case "" -> throw WireJson.malformed(provider, "a content block has no type", block, secret);
            default -> new Part.Opaque(provider, requestedModel, ParleyJson.write(block));
        };
    }

    /**
     * Usage with cache reads and writes counted as input (Anthropic reports them apart from
     * {@code input_tokens}); fields absent here keep their value from {@code previous}.
     */
    static Usage usage(JsonNode usage, Usage previous) {
        if (!usage.isObject()) {
            return previous;
        }
        int input = usage.has("input_tokens") || usage.has("cache_read_input_tokens") || usage.has("cache_creation_input_tokens")
                ? WireJson.sum(WireJson.count(usage, "input_tokens"), WireJson.count(usage, "cache_read_input_tokens"),
                WireJson.count(usage, "cache_creation_input_tokens"))
                : previous.inputTokens();
        int output = usage.has("output_tokens") ? WireJson.count(usage, "output_tokens") : previous.outputTokens();
        return new Usage(input, output);
    }

    static FinishReason finishReason(String raw) {
        if (raw == null) {
            return FinishReason.OTHER;
        }
        return switch (raw) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
