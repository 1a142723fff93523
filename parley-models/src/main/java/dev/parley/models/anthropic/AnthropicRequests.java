package dev.parley.models.anthropic;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatRequest;
import dev.parley.models.ModelParams;
import dev.parley.models.ToolSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a neutral request as an Anthropic Messages body.
 * <ul>
 *   <li>system messages become the top-level {@code system} (one text block each, in order);</li>
 *   <li>tool calls become {@code tool_use} blocks, tool messages {@code tool_result} blocks in a user turn;</li>
 *   <li>consecutive turns of one role are merged (the API wants user and assistant to alternate), with a user
 *       turn's {@code tool_result} blocks first, as the API requires;</li>
 *   <li>images by URL become {@code url} sources, {@code data:} URLs {@code base64} sources;</li>
 *   <li>opaque parts of this provider and model (thinking blocks with their signatures) are replayed verbatim
 *       where they stood; any other provider's or model's are dropped;</li>
 *   <li>tool-call arguments that are not a JSON object (a model's broken output) are sent as
 *       {@code {"invalid_arguments": "<the text>"}}, since {@code input} must be an object; tool-call ids are
 *       reduced to the characters Anthropic accepts, the same way in calls and results.</li>
 * </ul>
 */
final class AnthropicRequests {
    private static final Pattern DATA_URL = Pattern.compile("data:([\\w.+-]+/[\\w.+-]+);base64,(.+)", Pattern.DOTALL);
    private static final Pattern ID_CHARS = Pattern.compile("[^A-Za-z0-9_-]");

    private final String provider;
    private final int defaultMaxTokens;
    private final Integer thinkingBudget;

    AnthropicRequests(String provider, int defaultMaxTokens, Integer thinkingBudget) {
        this.provider = provider;
        this.defaultMaxTokens = defaultMaxTokens;
        this.thinkingBudget = thinkingBudget;
    }

    private record Turn(String role, List<ObjectNode> blocks) {
    }

    ObjectNode render(ChatRequest request, String model, boolean stream) {
        ObjectNode body = ParleyJson.object();
        body.put("model", model);
        ModelParams params = request.params();
        int maxTokens = params.maxTokens() != null ? params.maxTokens() : defaultMaxTokens;
        body.put("max_tokens", maxTokens);
        List<String> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        for (Message message : request.messages()) {
            if (message.role() == Role.SYSTEM) {
                if (!message.text().isEmpty()) {
                    system.add(message.text());
                }
                continue;
            }
            List<ObjectNode> blocks = blocks(message, model);
            if (blocks.isEmpty()) {
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
            if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
                turns.getLast().blocks().addAll(blocks);
            } else {
                turns.add(new Turn(role, new ArrayList<>(blocks)));
            }
        }
        if (system.size() == 1) {
            body.put("system", system.getFirst());
        } else if (!system.isEmpty()) {
            ArrayNode blocks = body.putArray("system");
            system.forEach(text -> blocks.addObject().put("type", "text").put("text", text));
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn turn : turns) {
            ArrayNode content = messages.addObject().put("role", turn.role()).putArray("content");
            turn.blocks().stream().filter(b -> isToolResult(b)).forEach(content::add);
            turn.blocks().stream().filter(b -> !isToolResult(b)).forEach(content::add);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode node = tools.addObject().put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    node.put("description", tool.description());
                }
                node.set("input_schema", tool.schema());
            }
        }
        renderParams(params, maxTokens, body);
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private List<ObjectNode> blocks(Message message, String model) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t when !t.text().isEmpty() -> blocks.add(ParleyJson.object().put("type", "text").put("text", t.text()));
                case Part.Text t -> {
                }
                case Part.ImageRef image -> blocks.add(image(image));
                case Part.ToolCall call -> {
                    ObjectNode use = ParleyJson.object().put("type", "tool_use").put("id", toolId(call.id())).put("name", call.name());
                    use.set("input", input(call.arguments()));
                    blocks.add(use);
                }
                case Part.ToolResult result -> {
                    ObjectNode node = ParleyJson.object().put("type", "tool_result").put("tool_use_id", toolId(result.callId()));
                    if (!result.content().isEmpty()) {
                        node.put("content", result.content());
                    }
                    if (result.isError()) {
                        node.put("is_error", true);
                    }
                    blocks.add(node);
                }
                case Part.Opaque opaque when opaque.provider().equals(provider) && opaque.model().equals(model) -> {
                    JsonNode block = ParleyJson.parse(opaque.json(), "opaque part");
                    if (block instanceof ObjectNode object) {
                        blocks.add(object);
                    }
                }
                case Part.Opaque opaque -> {
                }
            }
        }
        return blocks;
    }

    private static boolean isToolResult(ObjectNode block) {
        return "tool_result".equals(block.path("type").asString(""));
    }

    private static ObjectNode image(Part.ImageRef image) {
        ObjectNode node = ParleyJson.object().put("type", "image");
        if (image.url().startsWith("data:")) {
            Matcher m = DATA_URL.matcher(image.url());
            if (!m.matches()) {
                throw new InvalidInputException("image url", "anthropic: a data: image URL must be base64 with a media type"
                        + " (data:image/png;base64,...)");
            }
            node.putObject("source").put("type", "base64").put("media_type", m.group(1)).put("data", m.group(2));
        } else {
            node.putObject("source").put("type", "url").put("url", image.url());
        }
        return node;
    }

    private static JsonNode input(String arguments) {
        if (arguments.isBlank()) {
            return ParleyJson.object();
        }
        try {
            JsonNode parsed = ParleyJson.mapper().readTree(arguments);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JacksonException e) {
            return ParleyJson.object().put("invalid_arguments", arguments);
        }
        return ParleyJson.object().put("invalid_arguments", arguments);
    }

    static String toolId(String id) {
        return ID_CHARS.matcher(id).replaceAll("_");
    }

    private void renderParams(ModelParams params, int maxTokens, ObjectNode body) {
        if (params.temperature() != null) {
            if (params.temperature() > 1.0) {
                throw new InvalidInputException("temperature", "anthropic accepts a temperature between 0.0 and 1.0: "
                        + params.temperature());
            }
            body.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            body.put("top_p", params.topP());
        }
        if (params.topK() != null) {
            body.put("top_k", params.topK());
        }
        if (!params.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            params.stop().forEach(stop::add);
        }
        if (thinkingBudget != null) {
            if (maxTokens <= thinkingBudget) {
                throw new InvalidInputException("maxTokens", "anthropic: maxTokens (" + maxTokens
                        + ") must be larger than the thinking budget (" + thinkingBudget + ")");
            }
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
        }
    }
}
