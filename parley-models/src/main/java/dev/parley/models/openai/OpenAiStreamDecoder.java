package dev.parley.models.openai;

import dev.parley.domain.Part;
import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;
import dev.parley.models.Usage;
import dev.parley.models.internal.Replies;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.SseEvent;
import dev.parley.models.internal.StreamDecoder;
import dev.parley.models.internal.WireJson;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Assembles an OpenAI {@code chat.completion.chunk} stream: content deltas go to the handler as they come;
 * tool calls are put together from their per-index fragments (the id and name come first, the arguments in
 * pieces); the usage arrives in a last chunk with no choices; {@code data: [DONE]} ends the stream.
 */
final class OpenAiStreamDecoder implements StreamDecoder {
    private final String provider;
    private final String requestedModel;
    private final Secret secret;
    private final OpenAiReplies replies;
    private final OpenAiErrors errors;

    private final StringBuilder text = new StringBuilder();
    private final Map<String, StringBuilder> reasoning = new LinkedHashMap<>();
    private final TreeMap<Integer, CallFragments> calls = new TreeMap<>();
    private String finishReason;
    private Usage usage = Usage.ZERO;
    private String model;

    private static final class CallFragments {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    OpenAiStreamDecoder(String provider, String requestedModel, Secret secret, OpenAiReplies replies, OpenAiErrors errors) {
        this.provider = provider;
        this.requestedModel = requestedModel;
        this.secret = secret;
        this.replies = replies;
        this.errors = errors;
    }

    @Override
    public boolean accept(SseEvent event, Consumer<String> onText) {
        if (event.data().strip().equals("[DONE]")) {
            return true;
        }
        JsonNode chunk = WireJson.object(provider, event.data(), 200, "a stream chunk", secret);
        if (chunk.has("error")) {
            throw errors.fromStreamError(chunk.get("error"));
        }
        if (model == null) {
            model = WireJson.text(chunk, "model", null);
        }
        if (chunk.path("usage").isObject()) {
            usage = OpenAiReplies.usage(chunk.get("usage"));
        }
        JsonNode choices = chunk.path("choices");
        if (choices.isMissingNode() || choices.isNull() || choices.isArray() && choices.isEmpty()) {
            return false;
        }
        if (!choices.isArray() || !choices.get(0).isObject()) {
            throw WireJson.malformed(provider, "a stream chunk's choices is not an array of objects", chunk, secret);
        }
        JsonNode choice = choices.get(0);
        JsonNode delta = choice.path("delta");
        for (String field : OpenAiReplies.REASONING_FIELDS) {
            String piece = WireJson.text(delta, field, "");
            if (!piece.isEmpty()) {
                reasoning.computeIfAbsent(field, f -> new StringBuilder()).append(piece);
            }
        }
        String content = WireJson.text(delta, "content", "");
        if (!content.isEmpty()) {
            text.append(content);
            onText.accept(content);
        }
        for (JsonNode fragment : delta.path("tool_calls")) {
            int index = fragment.path("index").asInt(calls.size());
            CallFragments call = calls.computeIfAbsent(index, i -> new CallFragments());
            // ids and names that are not (non-blank) strings count as absent: finish() then names the call as broken
            String id = WireJson.text(fragment, "id", "");
            if (!id.isBlank()) {
                call.id = id;
            }
            JsonNode function = fragment.path("function");
            String name = WireJson.text(function, "name", "");
            if (!name.isBlank()) {
                call.name = name;
            }
            call.arguments.append(WireJson.text(function, "arguments", ""));
        }
        String finish = WireJson.text(choice, "finish_reason", null);
        if (finish != null) {
            finishReason = finish;
        }
        return false;
    }

    @Override
    public ChatResponse finish(boolean completed) {
        if (!completed && finishReason == null) {
            throw new ModelException.MalformedResponse(provider, provider
                    + ": the stream ended before the reply was complete (no finish_reason and no [DONE])", 200, null);
        }
        String answeredBy = model != null ? model : requestedModel;
        List<Part> parts = new ArrayList<>();
        reasoning.forEach((field, value) -> parts.add(replies.reasoningPart(field, value.toString(), requestedModel)));
        if (!text.isEmpty()) {
            parts.add(new Part.Text(text.toString()));
        }
        for (Map.Entry<Integer, CallFragments> entry : calls.entrySet()) {
            CallFragments call = entry.getValue();
            if (call.name == null) {
                throw new ModelException.MalformedResponse(provider, provider + ": streamed tool call " + entry.getKey()
                        + " never named its function", 200, null);
            }
            String arguments = call.arguments.isEmpty() ? "{}" : call.arguments.toString();
            parts.add(new Part.ToolCall(call.id != null ? call.id : "call_" + entry.getKey(), call.name, arguments));
        }
        return new ChatResponse(Replies.assistant(parts), usage, OpenAiReplies.finishReason(finishReason), finishReason,
                answeredBy);
    }
}
