package dev.parley.models.testing;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the fake Ollama server checks in a {@code /api/chat} body. Where Ollama's decoder fails it answers as Ollama
 * does (a model is required, roles, {@code images} must be base64, tool-call {@code arguments} must be an object,
 * options of the right types). It is stricter than Ollama in two places, both of which a real server would accept
 * and silently feed to the model as a broken prompt: unknown top-level fields and options are refused, and every
 * {@code tool} message must follow an assistant message with tool calls and name one of its functions.
 */
final class OllamaRequestCheck {
    private static final Set<String> FIELDS = Set.of("model", "messages", "tools", "stream", "format", "options",
            "keep_alive", "think");
    private static final Set<String> OPTIONS = Set.of("temperature", "top_k", "top_p", "num_predict", "stop", "num_ctx",
            "seed", "repeat_penalty", "repeat_last_n", "presence_penalty", "frequency_penalty", "min_p", "num_keep");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private OllamaRequestCheck() {
    }

    /** The first problem with the request body, worded as Ollama does; empty when it is valid. */
    static Optional<String> check(JsonNode body) {
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                return Optional.of("json: unknown field \"" + name + "\"");
            }
        }
        if (!body.path("model").isString() || body.get("model").stringValue().isEmpty()) {
            return Optional.of("model is required");
        }
        if (body.has("stream") && !body.get("stream").isBoolean()) {
            return Optional.of("json: cannot unmarshal " + kind(body.get("stream")) + " into Go struct field ChatRequest.stream of type bool");
        }
        return options(body.path("options")).or(() -> tools(body.path("tools"))).or(() -> messages(body.path("messages")));
    }

    private static Optional<String> options(JsonNode options) {
        if (options.isMissingNode()) {
            return Optional.empty();
        }
        for (String name : options.propertyNames()) {
            if (!OPTIONS.contains(name)) {
                return Optional.of("invalid option provided: " + name);
            }
            JsonNode value = options.get(name);
            boolean ok = switch (name) {
                case "stop" -> value.isArray() && allStrings(value);
                case "top_k", "num_predict", "num_ctx", "seed", "repeat_last_n", "num_keep" -> value.isIntegralNumber();
                default -> value.isNumber();
            };
            if (!ok) {
                return Optional.of("option \"" + name + "\" must be of type " + (name.equals("stop") ? "array of strings" : "number"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> tools(JsonNode tools) {
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!"function".equals(tool.path("type").asString("")) || !tool.path("function").path("name").isString()) {
                return Optional.of("tools[" + i + "]: expected {\"type\": \"function\", \"function\": {\"name\": ...}}");
            }
            JsonNode parameters = tool.path("function").path("parameters");
            if (!parameters.isMissingNode() && !parameters.isObject()) {
                return Optional.of("json: cannot unmarshal " + kind(parameters) + " into Go struct field ToolFunction.tools.function.parameters");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> messages(JsonNode messages) {
        if (!messages.isMissingNode() && !messages.isArray()) {
            return Optional.of("json: cannot unmarshal " + kind(messages) + " into Go struct field ChatRequest.messages");
        }
        List<String> calls = List.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            String role = m.path("role").asString("");
            if (!ROLES.contains(role)) {
                return Optional.of(at + ": invalid role \"" + role + "\"; expected system, user, assistant or tool");
            }
            if (m.has("content") && !m.get("content").isString()) {
                return Optional.of("json: cannot unmarshal " + kind(m.get("content")) + " into Go struct field Message.messages.content of type string");
            }
            for (JsonNode image : m.path("images")) {
                if (!image.isString() || !isBase64(image.stringValue())) {
                    return Optional.of("illegal base64 data in " + at + ".images");
                }
            }
            switch (role) {
                case "assistant" -> {
                    List<String> made = new ArrayList<>();
                    for (JsonNode call : m.path("tool_calls")) {
                        JsonNode function = call.path("function");
                        if (!function.path("name").isString()) {
                            return Optional.of(at + ".tool_calls: a tool call needs function.name");
                        }
                        if (function.has("arguments") && !function.get("arguments").isObject()) {
                            return Optional.of("json: cannot unmarshal " + kind(function.get("arguments"))
                                    + " into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments");
                        }
                        made.add(function.get("name").stringValue());
                    }
                    calls = made;
                }
                case "tool" -> {
                    if (calls.isEmpty()) {
                        return Optional.of(at + ": a tool message must follow an assistant message with tool_calls");
                    }
                    String name = m.path("tool_name").asString("");
                    if (!name.isEmpty() && !calls.contains(name)) {
                        return Optional.of(at + ": tool_name \"" + name + "\" names none of the preceding tool calls " + calls);
                    }
                }
                default -> calls = List.of();
            }
        }
        return Optional.empty();
    }

    private static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String kind(JsonNode node) {
        return node.isString() ? "string" : node.isNumber() ? "number" : node.isArray() ? "array" : node.isObject() ? "object" : "bool";
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode value : array) {
            if (!value.isString()) {
                return false;
            }
        }
        return true;
    }
}
