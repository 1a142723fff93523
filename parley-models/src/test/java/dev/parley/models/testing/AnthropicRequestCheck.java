package dev.parley.models.testing;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the fake Anthropic server checks in a request, as the real API does in the essentials; thinking blocks must
 * carry a signature the server issued for the same model.
 */
final class AnthropicRequestCheck {
    private static final Set<String> FIELDS = Set.of("model", "messages", "max_tokens", "system", "tools", "tool_choice",
            "temperature", "top_p", "top_k", "stop_sequences", "stream", "metadata", "thinking", "service_tier");
    private static final Pattern TOOL_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /** Signatures the server issued, and the model each was issued for. */
    private final Map<String, String> signatures;

    AnthropicRequestCheck(Map<String, String> signatures) {
        this.signatures = signatures;
    }

    /** The first problem with the request, worded as Anthropic does; empty when it is valid. */
    Optional<String> check(RecordedRequest request) {
        if (request.header("anthropic-version").isEmpty()) {
            return Optional.of("anthropic-version: header is required");
        }
        JsonNode body = request.json();
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                return Optional.of(name + ": Extra inputs are not permitted");
            }
        }
        if (!body.path("model").isString()) {
            return Optional.of("model: Field required");
        }
        if (!body.has("max_tokens")) {
            return Optional.of("max_tokens: Field required");
        }
        if (!body.get("max_tokens").isIntegralNumber() || body.get("max_tokens").intValue() < 1) {
            return Optional.of("max_tokens: Input should be a valid integer greater than or equal to 1");
        }
        if (body.has("temperature") && !inRange(body.get("temperature"), 0, 1)) {
            return Optional.of("temperature: Input should be less than or equal to 1");
        }
        if (body.has("top_p") && !inRange(body.get("top_p"), 0, 1)) {
            return Optional.of("top_p: Input should be less than or equal to 1");
        }
        if (body.has("stop_sequences") && !body.get("stop_sequences").isArray()) {
            return Optional.of("stop_sequences: Input should be a valid list");
        }
        JsonNode system = body.path("system");
        if (!system.isMissingNode() && !system.isString() && !(system.isArray() && allText(system))) {
            return Optional.of("system: Input should be a valid string or a list of text blocks");
        }
        boolean thinking = "enabled".equals(body.path("thinking").path("type").asString(""));
        if (thinking) {
            int budget = body.path("thinking").path("budget_tokens").asInt(0);
            if (budget < 1024) {
                return Optional.of("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
            }
            if (budget >= body.get("max_tokens").intValue()) {
                return Optional.of("`max_tokens` must be greater than `thinking.budget_tokens`");
            }
        }
        return tools(body.path("tools")).or(() -> messages(body.path("messages"), body.get("model").stringValue(), thinking));
    }

    private static Optional<String> tools(JsonNode tools) {
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!TOOL_NAME.matcher(tool.path("name").asString("")).matches()) {
                return Optional.of("tools." + i + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
            }
            if (!"object".equals(tool.path("input_schema").path("type").asString(""))) {
                return Optional.of("tools." + i + ".input_schema: Input schema must be a JSON schema of type object");
            }
        }
        return Optional.empty();
    }

    private Optional<String> messages(JsonNode messages, String model, boolean thinking) {
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.of("messages: at least one message is required");
        }
        String previousRole = null;
        Set<String> pendingUses = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages." + i;
            String role = m.path("role").asString("");
            if (!role.equals("user") && !role.equals("assistant")) {
                return Optional.of(at + ".role: Input should be 'user' or 'assistant'");
            }
            if (role.equals(previousRole)) {
                return Optional.of("messages: roles must alternate between \"user\" and \"assistant\", but found multiple \""
                        + role + "\" roles in a row");
            }
            previousRole = role;
            List<JsonNode> blocks = blocks(m.path("content"));
            if (blocks == null) {
                return Optional.of(at + ".content: Input should be a non-empty string or a non-empty list of content blocks");
            }
            Optional<String> problem = role.equals("user") ? userBlocks(blocks, at, pendingUses)
                    : assistantBlocks(blocks, at, model, pendingUses);
            if (problem.isPresent()) {
                return problem;
            }
            if (thinking && role.equals("user") && i == messages.size() - 1 && i > 0 && blocks.stream().anyMatch(b -> type(b).equals("tool_result"))) {
                List<JsonNode> previous = blocks(messages.get(i - 1).path("content"));
                String firstType = previous == null || previous.isEmpty() ? "" : type(previous.getFirst());
                if (!firstType.equals("thinking") && !firstType.equals("redacted_thinking")) {
                    return Optional.of("messages." + (i - 1) + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `"
                            + firstType + "`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.");
                }
            }
        }
        if (!pendingUses.isEmpty()) {
            return Optional.of("messages: `tool_use` ids were found without `tool_result` blocks immediately after: "
                    + String.join(", ", pendingUses) + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
        }
        return Optional.empty();
    }

    private static Optional<String> userBlocks(List<JsonNode> blocks, String at, Set<String> pendingUses) {
        boolean resultsDone = false;
        Set<String> answered = new LinkedHashSet<>();
        for (int j = 0; j < blocks.size(); j++) {
            JsonNode block = blocks.get(j);
            String where = at + ".content." + j;
            switch (type(block)) {
                case "text" -> {
                    if (block.path("text").asString("").isEmpty()) {
                        return Optional.of(where + ": text content blocks must be non-empty");
                    }
                    resultsDone = true;
                }
                case "image" -> {
                    Optional<String> problem = image(block.path("source"), where);
                    if (problem.isPresent()) {
                        return problem;
                    }
                    resultsDone = true;
                }
                case "tool_result" -> {
                    String id = block.path("tool_use_id").asString("");
                    if (!pendingUses.contains(id)) {
                        return Optional.of(where + ": unexpected `tool_use_id` found in `tool_result` blocks: " + id
                                + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                    }
                    if (resultsDone) {
                        return Optional.of(where + ": `tool_result` blocks must come before any other content in a user message");
                    }
                    JsonNode content = block.path("content");
                    if (!content.isMissingNode() && !content.isString() && !content.isArray()) {
                        return Optional.of(where + ".content: Input should be a valid string or list of content blocks");
                    }
                    answered.add(id);
                }
                default -> {
                    return Optional.of(where + ".type: '" + type(block) + "' is not a valid content block in a user message");
                }
            }
        }
        pendingUses.removeAll(answered);
        if (!pendingUses.isEmpty()) {
            return Optional.of(at + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
                    + String.join(", ", pendingUses) + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
        }
        return Optional.empty();
    }

    private Optional<String> assistantBlocks(List<JsonNode> blocks, String at, String model, Set<String> pendingUses) {
        if (!pendingUses.isEmpty()) {
            return Optional.of(at + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
                    + String.join(", ", pendingUses));
        }
        for (int j = 0; j < blocks.size(); j++) {
            JsonNode block = blocks.get(j);
            String where = at + ".content." + j;
            switch (type(block)) {
                case "text" -> {
                    if (block.path("text").asString("").isEmpty()) {
                        return Optional.of(where + ": text content blocks must be non-empty");
                    }
                }
                case "tool_use" -> {
                    String id = block.path("id").asString("");
                    if (!TOOL_ID.matcher(id).matches()) {
                        return Optional.of(where + ".id: String should match pattern '^[a-zA-Z0-9_-]+$'");
                    }
                    if (!block.path("name").isString() || !block.path("input").isObject()) {
                        return Optional.of(where + ": a tool_use block needs a name and an input object");
                    }
                    pendingUses.add(id);
                }
                case "thinking" -> {
                    String signature = block.path("signature").asString("");
                    if (signature.isEmpty()) {
                        return Optional.of(where + ".signature: Field required");
                    }
                    if (!model.equals(signatures.get(signature))) {
                        return Optional.of(where + ": Invalid `signature` in `thinking` block");
                    }
                }
                case "redacted_thinking" -> {
                    if (!block.path("data").isString()) {
                        return Optional.of(where + ".data: Field required");
                    }
                }
                default -> {
                    return Optional.of(where + ".type: '" + type(block) + "' is not a valid content block in an assistant message");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> image(JsonNode source, String where) {
        String type = source.path("type").asString("");
        boolean ok = switch (type) {
            case "url" -> source.path("url").asString("").startsWith("http");
            case "base64" -> source.path("media_type").asString("").startsWith("image/") && source.path("data").isString();
            default -> false;
        };
        return ok ? Optional.empty() : Optional.of(where + ".source: expected a url or base64 image source");
    }

    /** The content as blocks; null when it is empty or of the wrong shape. */
    private static List<JsonNode> blocks(JsonNode content) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content.isString()) {
            if (content.stringValue().isEmpty()) {
                return null;
            }
            blocks.add(ParleyJson.object().put("type", "text").put("text", content.stringValue()));
            return blocks;
        }
        if (!content.isArray() || content.isEmpty()) {
            return null;
        }
        content.forEach(blocks::add);
        return blocks;
    }

    private static String type(JsonNode block) {
        return block.path("type").asString("");
    }

    private static boolean allText(JsonNode blocks) {
        for (JsonNode block : blocks) {
            if (!"text".equals(type(block)) || !block.path("text").isString()) {
                return false;
            }
        }
        return true;
    }

    private static boolean inRange(JsonNode value, double min, double max) {
        return value.isNumber() && value.doubleValue() >= min && value.doubleValue() <= max;
    }
}
