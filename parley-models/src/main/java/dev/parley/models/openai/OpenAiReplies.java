package dev.parley.models.openai;

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
 * Maps an OpenAI Chat Completions response back to the neutral reply: content (or refusal) as text, tool calls,
 * and the reasoning text some compatible servers add ({@code reasoning_content}, {@code reasoning}) as an opaque
 * part for the same model.
 */
final class OpenAiReplies {
    /** Assistant-message fields compatible servers use for a reasoning model's thoughts. */
    static final List<String> REASONING_FIELDS = List.of("reasoning_content", "reasoning");

    private final String provider;
    private final Secret secret;

    OpenAiReplies(String provider, Secret secret) {
        this.provider = provider;
        this.secret = secret;
    }

    ChatResponse parse(String body, String requestedModel) {
        JsonNode root = WireJson.object(provider, body, 200, "the response", secret);
        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty() || !choices.get(0).path("message").isObject()) {
            throw WireJson.malformed(provider, "the response has no choices[0].message", root, secret);
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.get("message");
        List<Part> parts = new ArrayList<>();
        for (String field : REASONING_FIELDS) {
            String reasoning = WireJson.text(message, field, "");
            if (!reasoning.isEmpty()) {
                parts.add(reasoningPart(field, reasoning, requestedModel));
            }
        }
        String content = content(message.get("content"));
        if (!content.isEmpty()) {
            parts.add(new Part.Text(content));
        }
        String refusal = WireJson.text(message, "refusal", "");
        if (!refusal.isEmpty()) {
            parts.add(new Part.Text(refusal));
        }
        JsonNode calls = message.path("tool_calls");
        if (!calls.isMissingNode() && !calls.isNull() && !calls.isArray()) {
            throw WireJson.malformed(provider, "the message's tool_calls is not an array", message, secret);
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            JsonNode function = call.path("function");
            String name = WireJson.text(function, "name", "");
            // a blank name would otherwise surface as the domain's InvalidInputException, blaming the caller's input
            if (name.isBlank()) {
                throw WireJson.malformed(provider, "tool call " + i + " has no function name", call, secret);
            }
            String id = WireJson.text(call, "id", "");
            parts.add(new Part.ToolCall(id.isBlank() ? "call_" + i : id, name, WireJson.text(function, "arguments", "{}")));
        }
        String raw = WireJson.text(choice, "finish_reason", null);
        return new ChatResponse(Replies.assistant(parts), usage(root.path("usage")), finishReason(raw), raw,
                WireJson.text(root, "model", requestedModel));
    }

    Part.Opaque reasoningPart(String field, String reasoning, String model) {
        return new Part.Opaque(provider, model, ParleyJson.write(ParleyJson.object().put(field, reasoning)));
    }

    /** Content is a string, or (some compatible servers) an array of text parts. */
    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(WireJson.text(part, "text", ""));
        }
        return text.toString();
    }

    static Usage usage(JsonNode usage) {
        return new Usage(WireJson.count(usage, "prompt_tokens"), WireJson.count(usage, "completion_tokens"));
    }

    static FinishReason finishReason(String raw) {
        if (raw == null) {
            return FinishReason.OTHER;
        }
        return switch (raw) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
