package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
import dev.parley.models.ModelParams;
import dev.parley.models.ToolSpec;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code POST /v1/chat/completions} body as OpenAI's SDKs send it, read into the neutral model: the leading system
 * (or developer) messages are this call's instructions, the rest are R, the conversation as the client holds it.
 * Fields the gateway cannot honour through a provider adapter are not refused (SDKs send some by default): they are
 * listed in {@link #ignored()} and reported in the {@code X-Parley-Ignored} response header.
 *
 * @param model        the model to call ({@code null}: the session's or the server's default)
 * @param instructions the leading system messages
 * @param messages     R
 * @param tools        the client's tools: offered to the model, its calls to them returned to the client to run
 * @param n            how many choices were asked for (the gateway gives one)
 */
record CompletionRequest(String model, List<Message> instructions, List<Message> messages, List<ToolSpec> tools,
                         ModelParams params, boolean stream, boolean includeUsage, int n, Set<String> ignored) {

    private static final Set<String> HONOURED = Set.of("model", "messages", "tools", "tool_choice", "temperature", "top_p",
            "max_tokens", "max_completion_tokens", "stop", "stream", "stream_options", "n");
    private static final String EMPTY_OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

    static CompletionRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "the request body must be a JSON object");
        }
        Set<String> ignored = new TreeSet<>();
        for (String field : body.propertyNames()) {
            if (!HONOURED.contains(field)) {
                ignored.add(field);
            }
        }
        String model = optText(body, "model");
        if (model != null) {
            ModelDefaults.requireModelName(model, "model");
        }
        JsonNode array = body.get("messages");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new InvalidInputException("messages", "messages must be a non-empty array of messages");
        }
        List<Message> instructions = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Message message = message(array.get(i), "messages[" + i + "]");
            if (message.role() == Role.SYSTEM && messages.isEmpty()) {
                instructions.add(message);
            } else {
                messages.add(message);
            }
        }
        if (messages.isEmpty()) {
            throw new InvalidInputException("messages", "messages holds only system messages; the model needs something to answer");
        }
        List<ToolSpec> tools = tools(body.get("tools"));
        String choice = body.path("tool_choice").isString() ? body.get("tool_choice").stringValue() : null;
        if (body.has("tool_choice") && !body.get("tool_choice").isNull()) {
            if ("none".equals(choice)) {
                tools = List.of();
            } else if (!"auto".equals(choice)) {
                ignored.add("tool_choice");
            }
        }
        long n = integer(body, "n", 1, 128, 1);
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw new InvalidInputException("stream_options", "stream_options must be an object");
            }
            includeUsage = bool(options, "include_usage");
        }
        return new CompletionRequest(model, instructions, messages, tools, params(body), stream, includeUsage, (int) n, ignored);
    }

    private static ModelParams params(JsonNode body) {
        if (body.has("max_tokens") && body.has("max_completion_tokens")
                && !body.get("max_tokens").isNull() && !body.get("max_completion_tokens").isNull()) {
            throw new InvalidInputException("max_tokens", "max_tokens and max_completion_tokens cannot both be set");
        }
        String maxField = body.path("max_completion_tokens").isNull() || body.path("max_completion_tokens").isMissingNode()
                ? "max_tokens" : "max_completion_tokens";
        long maxTokens = integer(body, maxField, 1, Integer.MAX_VALUE, 0);
        List<String> stop = new ArrayList<>();
        JsonNode stops = body.get("stop");
        if (stops != null && stops.isString()) {
            stop.add(stops.stringValue());
        } else if (stops != null && stops.isArray()) {
            for (int i = 0; i < stops.size(); i++) {
                if (!stops.get(i).isString()) {
                    throw new InvalidInputException("stop[" + i + "]", "stop[" + i + "] must be a string");
                }
                stop.add(stops.get(i).stringValue());
            }
        } else if (stops != null && !stops.isNull()) {
            throw new InvalidInputException("stop", "stop must be a string or an array of strings");
        }
        try {
            return ModelParams.builder().temperature(number(body, "temperature")).topP(number(body, "top_p"))
                    .maxTokens(maxTokens == 0 ? null : (int) maxTokens).stop(stop).build();
        } catch (InvalidInputException e) {
            // The parameters check themselves under their Java names; the caller sent OpenAI's.
            String wire = switch (e.field()) {
                case "topP" -> "top_p";
                case "maxTokens" -> maxField;
                default -> e.field();
            };
            String message = e.getMessage().startsWith(e.field()) ? wire + e.getMessage().substring(e.field().length())
                    : e.getMessage();
            throw new InvalidInputException(wire, message);
        }
    }

    private static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new InvalidInputException("tools", "tools must be an array of {\"type\": \"function\", \"function\": {…}}");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            JsonNode function = tool.path("function");
            if (!"function".equals(tool.path("type").asString("")) || !function.isObject()) {
                throw new InvalidInputException(path, path + " must be {\"type\": \"function\", \"function\": {name, description?, "
                        + "parameters?}}");
            }
            JsonNode parameters = function.get("parameters");
            String schema = parameters == null || parameters.isNull() ? EMPTY_OBJECT_SCHEMA : ParleyJson.write(parameters);
            out.add(new ToolSpec(requireText(function, "name", path + ".function"), optText(function, "description", path + ".function"),
                    schema));
        }
        return out;
    }

    /** One OpenAI message in the neutral form; system and developer are both system. */
    static Message message(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path, path + " must be a message object");
        }
        String roleName = optText(node, "role", path);
        Role role = switch (roleName == null ? "" : roleName) {
            case "system", "developer" -> Role.SYSTEM;
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "tool" -> Role.TOOL;
            default -> throw new InvalidInputException(path + ".role", path + ".role must be system, developer, user, assistant "
                    + "or tool" + (roleName == null ? "" : ": '" + LogText.escape(roleName) + "'"));
        };
        if (node.has("function_call") && !node.get("function_call").isNull()) {
            throw new InvalidInputException(path + ".function_call", path + ".function_call is the retired form of tool calls; "
                    + "send tool_calls");
        }
        List<Part> parts = new ArrayList<>();
        if (role == Role.TOOL) {
            String callId = optText(node, "tool_call_id", path);
            if (callId == null || callId.isBlank()) {
                throw new InvalidInputException(path + ".tool_call_id", path + ".tool_call_id is required in a tool message");
            }
            parts.add(new Part.ToolResult(callId, text(node.get("content"), path + ".content"), false));
        } else {
            content(node.get("content"), path + ".content", role == Role.USER, parts);
            if (role == Role.ASSISTANT) {
                toolCalls(node.get("tool_calls"), path + ".tool_calls", parts);
            } else if (node.has("tool_calls") && !node.get("tool_calls").isNull()) {
                throw new InvalidInputException(path + ".tool_calls", path + ".tool_calls belong in assistant messages");
            }
            if (parts.isEmpty()) {
                // OpenAI requires content but for an assistant message that calls tools; "" is content, absence is not.
                throw new InvalidInputException(path + ".content", path + ".content is required"
                        + (role == Role.ASSISTANT ? " in an assistant message without tool_calls" : ""));
            }
        }
        Message message = new Message(role, parts, null, Map.of());
        String name = optText(node, "name", path);
        return name == null ? message : message.withName(name);
    }

    private static void content(JsonNode content, String path, boolean images, List<Part> parts) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isString()) {
            parts.add(new Part.Text(content.stringValue()));
            return;
        }
        if (!content.isArray()) {
            throw new InvalidInputException(path, path + " must be a string or an array of content parts");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = path + "[" + i + "]";
            String type = part.path("type").asString("");
            switch (type) {
                case "text" -> parts.add(new Part.Text(requireText(part, "text", at)));
                case "image_url" -> {
                    if (!images) {
                        throw new InvalidInputException(at, at + ": only user messages carry images");
                    }
                    JsonNode url = part.path("image_url");
                    String href = url.isString() ? url.stringValue() : requireText(url, "url", at + ".image_url");
                    parts.add(new Part.ImageRef(href, null));
                }
                default -> throw new InvalidInputException(at + ".type", at + ".type must be text" + (images ? " or image_url" : "")
                        + " (the gateway does not pass " + (type.isEmpty() ? "untyped parts" : "'" + LogText.escape(type) + "' parts")
                        + " on)");
            }
        }
    }

    /** A tool message's content: a string, or text parts joined. */
    private static String text(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            throw new InvalidInputException(path, path + " is required");
        }
        List<Part> parts = new ArrayList<>();
        content(content, path, false, parts);
        StringBuilder out = new StringBuilder();
        parts.forEach(p -> out.append(((Part.Text) p).text()));
        return out.toString();
    }

    private static void toolCalls(JsonNode calls, String path, List<Part> parts) {
        if (calls == null || calls.isNull()) {
            return;
        }
        if (!calls.isArray()) {
            throw new InvalidInputException(path, path + " must be an array");
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String at = path + "[" + i + "]";
            JsonNode function = call.path("function");
            if (!function.isObject()) {
                throw new InvalidInputException(at + ".function", at + ".function must be {name, arguments}");
            }
            String arguments = function.path("arguments").isString() ? function.get("arguments").stringValue() : "{}";
            parts.add(new Part.ToolCall(requireNonBlank(call, "id", at), requireNonBlank(function, "name", at + ".function"),
                    arguments));
        }
    }

    /** {@link #requireText} that is not blank: the domain would refuse a blank one naming no path. */
    private static String requireNonBlank(JsonNode node, String field, String path) {
        String value = requireText(node, field, path);
        if (value.isBlank()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must not be blank");
        }
        return value;
    }

    private static String requireText(JsonNode node, String field, String path) {
        String value = optText(node, field, path);
        if (value == null) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be a string");
        }
        return value;
    }

    private static String optText(JsonNode node, String field) {
        return optText(node, field, "");
    }

    /** A string field of the object at {@code path} ({@code ""}: the body), or null when absent. */
    private static String optText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String name = path.isEmpty() ? field : path + "." + field;
        if (!value.isString()) {
            throw new InvalidInputException(name, name + " must be a string");
        }
        return value.stringValue();
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidInputException(field, field + " must be a number");
        }
        return Body.doubleOf(value);
    }

    private static long integer(JsonNode body, String field, long min, long max, long fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        // canConvertToLong first: longValue() of a bigger integer throws, which would read as "not valid JSON".
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw new InvalidInputException(field, field + " must be a whole number from " + min + " to " + max);
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field, field + " must be true or false");
        }
        return value.booleanValue();
    }
}
