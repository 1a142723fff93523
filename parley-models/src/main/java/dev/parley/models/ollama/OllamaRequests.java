package dev.parley.models.ollama;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatRequest;
import dev.parley.models.ModelParams;
import dev.parley.models.ToolSpec;
import dev.parley.models.internal.DataUrl;
import dev.parley.models.internal.ToolArguments;
import dev.parley.models.internal.ToolCallNames;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Renders a neutral request as an Ollama {@code /api/chat} body.
 * <ul>
 *   <li>roles stay {@code system}, {@code user}, {@code assistant}; each tool result is its own {@code tool} message
 *       naming the function it answers ({@code tool_name}, looked up from the call earlier in the history: Ollama
 *       has no call ids);</li>
 *   <li>tool calls are {@code {"function": {"name", "arguments": {…}}}} with the arguments as an object (text that is
 *       not a JSON object is sent as {@code {"invalid_arguments": text}});</li>
 *   <li>images must travel inline: a {@code data:} URL's base64 goes in the message's {@code images}; an http(s) URL
 *       is refused (Ollama does not fetch URLs, and neither does this adapter); an assistant's images are left out;</li>
 *   <li>opaque parts of this provider and model (the {@code thinking} of a reasoning model) are merged back into
 *       their assistant message; other providers' and models' are dropped;</li>
 *   <li>{@code stream} is always sent, since Ollama streams when it is absent.</li>
 * </ul>
 */
final class OllamaRequests {
    private final String provider;
    private final Integer contextWindow;

    OllamaRequests(String provider, Integer contextWindow) {
        this.provider = provider;
        this.contextWindow = contextWindow;
    }

    ObjectNode render(ChatRequest request, String model, boolean stream) {
        ObjectNode body = ParleyJson.object();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        ToolCallNames names = new ToolCallNames(provider);
        for (Message message : request.messages()) {
            names.record(message);
            switch (message.role()) {
                case SYSTEM -> messages.addObject().put("role", "system").put("content", message.text());
                case USER -> user(message, messages.addObject());
                case ASSISTANT -> assistant(message, model, messages);
                case TOOL -> {
                    for (Part.ToolResult result : message.toolResults()) {
                        messages.addObject().put("role", "tool").put("content", result.content()).put("tool_name", names.nameOf(result));
                    }
                }
            }
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
        body.put("stream", stream);
        ObjectNode options = options(request.params());
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        return body;
    }

    private void user(Message message, ObjectNode node) {
        node.put("role", "user").put("content", message.text());
        ArrayNode images = null;
        for (Part part : message.parts()) {
            if (part instanceof Part.ImageRef image) {
                if (images == null) {
                    images = node.putArray("images");
                }
                images.add(base64(image));
            }
        }
    }

    private String base64(Part.ImageRef image) {
        if (!DataUrl.isDataUrl(image.url())) {
            throw new InvalidInputException("image url", provider + ": images must be sent inline as base64 data: URLs"
                    + " (data:image/png;base64,...); Ollama does not fetch images by URL");
        }
        return DataUrl.parse(image.url()).orElseThrow(() -> new InvalidInputException("image url",
                provider + ": a data: image URL must be base64 with a media type (data:image/png;base64,...)")).base64();
    }

    private void assistant(Message message, String model, ArrayNode out) {
        ObjectNode node = ParleyJson.object().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.ToolCall call -> {
                    if (calls == null) {
                        calls = ParleyJson.mapper().createArrayNode();
                    }
                    calls.addObject().putObject("function").put("name", call.name())
                            .set("arguments", ToolArguments.asObject(call.arguments()));
                }
                case Part.Opaque opaque when opaque.provider().equals(provider) && opaque.model().equals(model) ->
                        mergeOpaque(opaque, node);
                case Part.Opaque opaque -> {
                }
                case Part.ImageRef image -> {
                }
                case Part.ToolResult result -> {
                }
            }
        }
        if (text.isEmpty() && calls == null && !node.has("thinking")) {
            return;
        }
        node.put("content", text.toString());
        if (calls != null) {
            node.set("tool_calls", calls);
        }
        out.add(node);
    }

    /** An opaque part of this adapter is an object of extra assistant-message fields ({@code thinking}), replayed as it came. */
    private void mergeOpaque(Part.Opaque opaque, ObjectNode message) {
        JsonNode fields = ParleyJson.parse(opaque.json(), "opaque part");
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (!message.has(field.getKey())) {
                message.set(field.getKey(), field.getValue());
            }
        }
    }

    private ObjectNode options(ModelParams params) {
        ObjectNode options = ParleyJson.object();
        if (params.temperature() != null) {
            options.put("temperature", params.temperature());
        }
        if (params.topK() != null) {
            options.put("top_k", params.topK());
        }
        if (params.topP() != null) {
            options.put("top_p", params.topP());
        }
        if (params.maxTokens() != null) {
            options.put("num_predict", params.maxTokens());
        }
        if (!params.stop().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            params.stop().forEach(stop::add);
        }
        if (contextWindow != null) {
            options.put("num_ctx", contextWindow);
        }
        return options;
    }
}
