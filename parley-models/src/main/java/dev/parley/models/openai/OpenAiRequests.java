package dev.parley.models.openai;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatRequest;
import dev.parley.models.ModelParams;
import dev.parley.models.ToolSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a neutral request as an OpenAI Chat Completions body.
 * <ul>
 *   <li>system messages stay {@code role: system}; a tool message becomes one {@code role: tool} message per result;</li>
 *   <li>user content is a string, or an array of {@code text} / {@code image_url} parts when it holds images; the API
 *       takes no images from the assistant, so an assistant's images are left out;</li>
 *   <li>opaque parts of this provider and model (e.g. {@code reasoning_content} of compatible servers) are merged
 *       back into their assistant message; any other provider's or model's are dropped;</li>
 *   <li>an author name is sent when it fits the API's rule ({@code [A-Za-z0-9_-]{1,64}}), otherwise left out.</li>
 * </ul>
 */
final class OpenAiRequests {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String provider;
    private final boolean maxCompletionTokens;
    private final boolean forwardTopK;

    OpenAiRequests(String provider, boolean maxCompletionTokens, boolean forwardTopK) {
        this.provider = provider;
        this.maxCompletionTokens = maxCompletionTokens;
        this.forwardTopK = forwardTopK;
    }

    ObjectNode render(ChatRequest request, String model, boolean stream) {
        ObjectNode body = ParleyJson.object();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (Message message : request.messages()) {
            renderMessage(message, model, messages);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.set("parameters", tool.schema());
            }
        }
        renderParams(request.params(), body);
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private void renderMessage(Message message, String model, ArrayNode out) {
        switch (message.role()) {
            case TOOL -> {
                for (Part.ToolResult result : message.toolResults()) {
                    out.addObject().put("role", "tool").put("tool_call_id", result.callId()).put("content", result.content());
                }
            }
            case SYSTEM -> named(out.addObject().put("role", "system").put("content", message.text()), message);
            case USER -> {
                ObjectNode node = out.addObject().put("role", "user");
                if (message.parts().stream().anyMatch(Part.ImageRef.class::isInstance)) {
                    node.set("content", contentArray(message.parts()));
                } else {
                    node.put("content", message.text());
                }
                named(node, message);
            }
            case ASSISTANT -> renderAssistant(message, model, out);
        }
    }

    private void renderAssistant(Message message, String model, ArrayNode out) {
        ObjectNode node = ParleyJson.object().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        ArrayNode calls = null;
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> {
                    text.append(t.text());
                    hasText = true;
                }
                case Part.ToolCall c -> {
                    if (calls == null) {
                        calls = ParleyJson.mapper().createArrayNode();
                    }
                    ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                    call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
                }
                case Part.Opaque o when o.provider().equals(provider) && o.model().equals(model) -> mergeOpaque(o, node);
                case Part.Opaque o -> {
                }
                case Part.ImageRef i -> {
                }
                case Part.ToolResult r -> {
                }
            }
        }
        if (!hasText && calls == null) {
            return;
        }
        if (hasText) {
            node.put("content", text.toString());
        } else {
            node.putNull("content");
        }
        if (calls != null) {
            node.set("tool_calls", calls);
        }
        named(node, message);
        out.add(node);
    }

    /** An opaque part of this adapter is an object of extra assistant-message fields, replayed as they came. */
    private static void mergeOpaque(Part.Opaque opaque, ObjectNode message) {
        JsonNode fields = ParleyJson.parse(opaque.json(), "opaque part");
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (!message.has(field.getKey())) {
                message.set(field.getKey(), field.getValue());
            }
        }
    }

    private static ArrayNode contentArray(List<Part> parts) {
        ArrayNode content = ParleyJson.mapper().createArrayNode();
        for (Part part : parts) {
            if (part instanceof Part.Text t && !t.text().isEmpty()) {
                content.addObject().put("type", "text").put("text", t.text());
            } else if (part instanceof Part.ImageRef image) {
                content.addObject().put("type", "image_url").putObject("image_url").put("url", image.url());
            }
        }
        return content;
    }

    private static void named(ObjectNode node, Message message) {
        if (message.name() != null && NAME.matcher(message.name()).matches()) {
            node.put("name", message.name());
        }
    }

    private void renderParams(ModelParams params, ObjectNode body) {
        if (params.temperature() != null) {
            body.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            body.put("top_p", params.topP());
        }
        if (params.topK() != null && forwardTopK) {
            body.put("top_k", params.topK());
        }
        if (params.maxTokens() != null) {
            body.put(maxCompletionTokens ? "max_completion_tokens" : "max_tokens", params.maxTokens());
        }
        if (!params.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            params.stop().forEach(stop::add);
        }
    }
}
