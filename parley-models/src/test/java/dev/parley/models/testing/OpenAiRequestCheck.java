package dev.parley.models.testing;

import tools.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What the fake OpenAI server checks in a request body, as the real API does in the essentials. */
final class OpenAiRequestCheck {
    private static final Set<String> PARAMETERS = Set.of("model", "messages", "tools", "tool_choice", "temperature", "top_p",
            "max_tokens", "max_completion_tokens", "stop", "stream", "stream_options", "n", "seed", "user", "response_format",
            "parallel_tool_calls", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs", "logit_bias",
            "metadata", "store", "reasoning_effort", "service_tier", "modalities", "prediction", "audio");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private OpenAiRequestCheck() {
    }

    /** The first problem with the request body, worded as OpenAI does; empty when it is valid. */
    static Optional<String> check(JsonNode body) {
        for (String name : body.propertyNames()) {
            if (!PARAMETERS.contains(name)) {
                return Optional.of("Unrecognized request argument supplied: " + name);
            }
        }
        if (!body.path("model").isString() || body.get("model").stringValue().isEmpty()) {
            return Optional.of("you must provide a model parameter");
        }
        if (body.has("max_tokens") && body.has("max_completion_tokens")) {
            return Optional.of("max_tokens and max_completion_tokens cannot both be set");
        }
        for (String name : List.of("max_tokens", "max_completion_tokens")) {
            if (body.has(name) && !(body.get(name).isIntegralNumber() && body.get(name).intValue() >= 1)) {
                return Optional.of("Invalid '" + name + "': integer below minimum value.");
            }
        }
        if (body.has("temperature") && !inRange(body.get("temperature"), 0, 2)) {
            return Optional.of("Invalid 'temperature': must be a number between 0 and 2.");
        }
        if (body.has("top_p") && !inRange(body.get("top_p"), 0, 1)) {
            return Optional.of("Invalid 'top_p': must be a number between 0 and 1.");
        }
        JsonNode stop = body.path("stop");
        if (stop.isArray() && (stop.size() > 4 || !allStrings(stop))) {
            return Optional.of("Invalid 'stop': expected an array of at most 4 strings.");
        }
        if (body.has("stream_options") && !body.path("stream").asBoolean(false)) {
            return Optional.of("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        return tools(body.path("tools")).or(() -> messages(body.path("messages")));
    }

    private static Optional<String> tools(JsonNode tools) {
        if (tools.isMissingNode()) {
            return Optional.empty();
        }
        if (!tools.isArray() || tools.isEmpty()) {
            return Optional.of("Invalid 'tools': empty array. Expected an array with minimum length 1.");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            JsonNode function = tool.path("function");
            if (!"function".equals(tool.path("type").asString("")) || !function.isObject()) {
                return Optional.of("Invalid 'tools[" + i + "]': expected {\"type\": \"function\", \"function\": {...}}.");
            }
            if (!TOOL_NAME.matcher(function.path("name").asString("")).matches()) {
                return Optional.of("Invalid 'tools[" + i + "].function.name': string does not match pattern '^[a-zA-Z0-9_-]+$'.");
            }
            if (function.has("parameters") && !function.get("parameters").isObject()) {
                return Optional.of("Invalid 'tools[" + i + "].function.parameters': expected an object.");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> messages(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.of("Invalid 'messages': empty array. Expected an array with minimum length 1.");
        }
        Set<String> unanswered = new LinkedHashSet<>();
        Set<String> answerable = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            String role = m.path("role").asString("");
            if (!ROLES.contains(role)) {
                return Optional.of("Invalid value for '" + at + ".role': '" + role + "'. Supported values are: 'system', "
                        + "'assistant', 'user', 'tool', and 'developer'.");
            }
            if (!role.equals("tool") && !unanswered.isEmpty()) {
                return Optional.of("An assistant message with 'tool_calls' must be followed by tool messages responding to "
                        + "each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                        + String.join(", ", unanswered));
            }
            Optional<String> problem = switch (role) {
                case "system", "developer" -> textContent(m.path("content"), at);
                case "user" -> userContent(m.path("content"), at);
                case "assistant" -> assistant(m, at, unanswered, answerable);
                default -> tool(m, at, unanswered, answerable);
            };
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (!unanswered.isEmpty()) {
            return Optional.of("An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                    + "'tool_call_id'. The following tool_call_ids did not have response messages: " + String.join(", ", unanswered));
        }
        return Optional.empty();
    }

    private static Optional<String> textContent(JsonNode content, String at) {
        if (content.isString()) {
            return Optional.empty();
        }
        if (content.isArray() && !content.isEmpty()) {
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asString("")) || !part.path("text").isString()) {
                    return Optional.of("Invalid '" + at + ".content': only text parts are allowed here.");
                }
            }
            return Optional.empty();
        }
        return Optional.of("Invalid '" + at + ".content': expected a string or an array of content parts.");
    }

    private static Optional<String> userContent(JsonNode content, String at) {
        if (content.isString()) {
            return Optional.empty();
        }
        if (!content.isArray() || content.isEmpty()) {
            return Optional.of("Invalid '" + at + ".content': expected a string or an array of content parts.");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asString("");
            boolean ok = switch (type) {
                case "text" -> part.path("text").isString();
                case "image_url" -> part.path("image_url").path("url").isString();
                default -> false;
            };
            if (!ok) {
                return Optional.of("Invalid '" + at + ".content[" + i + "]': expected a text or image_url part, got '" + type + "'.");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> assistant(JsonNode m, String at, Set<String> unanswered, Set<String> answerable) {
        JsonNode content = m.path("content");
        JsonNode calls = m.path("tool_calls");
        boolean hasContent = content.isString() || content.isArray();
        if (!hasContent && !calls.isArray()) {
            return Optional.of("Invalid '" + at + "': an assistant message needs 'content' or 'tool_calls'.");
        }
        if (content.isArray()) {
            Optional<String> problem = textContent(content, at);
            if (problem.isPresent()) {
                return problem;
            }
        }
        answerable.clear();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String id = call.path("id").asString("");
            JsonNode function = call.path("function");
            if (id.isEmpty() || !"function".equals(call.path("type").asString("")) || !function.path("name").isString()
                    || !function.path("arguments").isString()) {
                return Optional.of("Invalid '" + at + ".tool_calls[" + i + "]': expected {id, type: function, function: {name, arguments}}.");
            }
            unanswered.add(id);
            answerable.add(id);
        }
        return Optional.empty();
    }

    private static Optional<String> tool(JsonNode m, String at, Set<String> unanswered, Set<String> answerable) {
        String id = m.path("tool_call_id").asString("");
        if (!answerable.contains(id)) {
            return Optional.of("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with "
                    + "'tool_calls'. (" + at + ".tool_call_id: '" + id + "')");
        }
        unanswered.remove(id);
        return textContent(m.path("content"), at);
    }

    private static boolean inRange(JsonNode value, double min, double max) {
        return value.isNumber() && value.doubleValue() >= min && value.doubleValue() <= max;
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isString()) {
                return false;
            }
        }
        return true;
    }
}
