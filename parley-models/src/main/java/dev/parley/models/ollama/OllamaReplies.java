package dev.parley.models.ollama;

import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatResponse;
import dev.parley.models.FinishReason;
import dev.parley.models.Usage;
import dev.parley.models.internal.Replies;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.ToolArguments;
import dev.parley.models.internal.ToolCallIds;
import dev.parley.models.internal.WireJson;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps Ollama {@code /api/chat} responses back to the neutral reply: the message's {@code thinking} as an opaque part
 * for the same model, its {@code content} as text, its {@code tool_calls} as tool calls (with the id Ollama gave,
 * or a generated one: most versions give none), {@code done_reason}, and {@code prompt_eval_count} /
 * {@code eval_count} as the usage. Ollama says {@code stop} also when the reply asks for tool calls; the neutral
 * reason is then {@link FinishReason#TOOL_CALLS}.
 */
final class OllamaReplies {
    private final String provider;
    private final Secret secret;
    private final OllamaErrors errors;

    OllamaReplies(String provider, Secret secret, OllamaErrors errors) {
        this.provider = provider;
        this.secret = secret;
        this.errors = errors;
    }

    ChatResponse parse(String body, String requestedModel) {
        JsonNode root = WireJson.object(provider, body, 200, "the response", secret);
        Assembly assembly = assembly(requestedModel);
        if (!root.path("message").isObject() && !root.has("error")) {
            throw WireJson.malformed(provider, "the response has no message", root, secret);
        }
        assembly.accept(root, text -> {
        });
        return assembly.finish();
    }

    /** A reply put together from one response, or from the lines of a stream in order. */
    Assembly assembly(String requestedModel) {
        return new Assembly(requestedModel);
    }

    final class Assembly {
        private final String requestedModel;
        private final StringBuilder thinking = new StringBuilder();
        private final StringBuilder text = new StringBuilder();
        private final List<Part.ToolCall> calls = new ArrayList<>();
        private boolean done;
        private String doneReason;
        private Usage usage = Usage.ZERO;
        private String model;

        private Assembly(String requestedModel) {
            this.requestedModel = requestedModel;
        }

        /** Takes one response object (a whole reply, or one line of a stream), passing its text to {@code onText}. */
        void accept(JsonNode response, Consumer<String> onText) {
            JsonNode error = response.get("error");
            if (error != null) {
                throw errors.fromStreamError(error.isString() ? error.stringValue() : ParleyJson.write(error));
            }
            if (model == null) {
                model = WireJson.text(response, "model", null);
            }
            JsonNode message = response.path("message");
            thinking.append(WireJson.text(message, "thinking", ""));
            String content = WireJson.text(message, "content", "");
            if (!content.isEmpty()) {
                text.append(content);
                onText.accept(content);
            }
            for (JsonNode call : message.path("tool_calls")) {
                calls.add(toolCall(call));
            }
            if (response.path("done").asBoolean(false)) {
                done = true;
                doneReason = WireJson.text(response, "done_reason", null);
                usage = new Usage(WireJson.count(response, "prompt_eval_count"), WireJson.count(response, "eval_count"));
            }
        }

        boolean done() {
            return done;
        }

        ChatResponse finish() {
            List<Part> parts = new ArrayList<>();
            if (!thinking.isEmpty()) {
                parts.add(new Part.Opaque(provider, requestedModel,
                        ParleyJson.write(ParleyJson.object().put("thinking", thinking.toString()))));
            }
            if (!text.isEmpty()) {
                parts.add(new Part.Text(text.toString()));
            }
            parts.addAll(calls);
            return new ChatResponse(Replies.assistant(parts), usage, finishReason(doneReason, !calls.isEmpty()), doneReason,
                    model != null ? model : requestedModel);
        }

        private Part.ToolCall toolCall(JsonNode call) {
            JsonNode function = call.path("function");
            String name = WireJson.text(function, "name", "");
            // a blank name would otherwise surface as the domain's InvalidInputException, blaming the caller's input
            if (name.isBlank()) {
                throw WireJson.malformed(provider, "a tool call without a function name", call, secret);
            }
            JsonNode arguments = function.get("arguments");
            String text = arguments != null && arguments.isString() ? arguments.stringValue() : ToolArguments.text(arguments);
            String id = WireJson.text(call, "id", "");
            return new Part.ToolCall(id.isBlank() ? ToolCallIds.generate(provider) : id, name, text);
        }
    }

    static FinishReason finishReason(String raw, boolean toolCalls) {
        if (raw == null) {
            return toolCalls ? FinishReason.TOOL_CALLS : FinishReason.OTHER;
        }
        return switch (raw) {
            case "stop" -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
    }
}
