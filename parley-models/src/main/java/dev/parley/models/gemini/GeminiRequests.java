package dev.parley.models.gemini;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatRequest;
import dev.parley.models.ModelParams;
import dev.parley.models.ToolSpec;
import dev.parley.models.internal.DataUrl;
import dev.parley.models.internal.ToolArguments;
import dev.parley.models.internal.ToolCallNames;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a neutral request as a Gemini {@code generateContent} body.
 * <ul>
 *   <li>system messages become {@code systemInstruction} (one text part each, in order);</li>
 *   <li>user messages are {@code user} contents, assistant messages {@code model} contents, and tool results
 *       {@code functionResponse} parts of a {@code user} content; consecutive contents of one role are merged, so
 *       the results of parallel calls travel together as Gemini asks;</li>
 *   <li>Gemini pairs a result with its call by the function's name, not an id: the name is looked up from the call
 *       earlier in the history, and the {@code response} (which must be an object) is the result itself when it is
 *       a JSON object, otherwise {@code {"result": text}}, or {@code {"error": text}} for a failed call;</li>
 *   <li>opaque parts of this provider and model are replayed: a thought signature on the part it was issued
 *       with, any other part verbatim; other providers' and models' opaque parts are dropped. A model turn with
 *       function calls but no signature of its own (made by another provider or model) gets Google's documented
 *       placeholder signature, {@value #FOREIGN_SIGNATURE}, which Gemini 3 accepts for history it did not produce;</li>
 *   <li>images: {@code data:} URLs become {@code inlineData}; other URLs {@code fileData} with a {@code fileUri}, which
 *       Gemini resolves only for some sources (its Files API, Cloud Storage, YouTube and some public HTTPS URLs;
 *       otherwise it answers 400): pass a {@code data:} URL when in doubt;</li>
 *   <li>tools are {@code functionDeclarations} whose schema goes in {@code parametersJsonSchema} (full JSON Schema;
 *       the older {@code parameters} field takes an OpenAPI subset that rejects {@code additionalProperties}).</li>
 * </ul>
 */
final class GeminiRequests {
    /** Google's placeholder for function calls whose real signature is unknown (another provider's, a hand-built history). */
    static final String FOREIGN_SIGNATURE = "skip_thought_signature_validator";
    static final int MAX_STOP_SEQUENCES = 5;
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg",
            "image/jpeg", "gif", "image/gif", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif");

    private final String provider;

    GeminiRequests(String provider) {
        this.provider = provider;
    }

    private record Content(String role, List<ObjectNode> parts) {
    }

    ObjectNode render(ChatRequest request, String model) {
        ObjectNode body = ParleyJson.object();
        List<String> system = new ArrayList<>();
        List<Content> contents = new ArrayList<>();
        ToolCallNames names = new ToolCallNames(provider);
        for (Message message : request.messages()) {
            names.record(message);
            if (message.role() == Role.SYSTEM) {
                if (!message.text().isEmpty()) {
                    system.add(message.text());
                }
                continue;
            }
            List<ObjectNode> parts = parts(message, model, names);
            if (parts.isEmpty()) {
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "model" : "user";
            if (!contents.isEmpty() && contents.getLast().role().equals(role)) {
                contents.getLast().parts().addAll(parts);
            } else {
                contents.add(new Content(role, new ArrayList<>(parts)));
            }
        }
        if (!system.isEmpty()) {
            ArrayNode parts = body.putObject("systemInstruction").putArray("parts");
            system.forEach(text -> parts.addObject().put("text", text));
        }
        ArrayNode out = body.putArray("contents");
        for (Content content : contents) {
            ObjectNode node = out.addObject().put("role", content.role());
            content.parts().forEach(node.putArray("parts")::add);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolSpec tool : request.tools()) {
                ObjectNode declaration = declarations.addObject().put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    declaration.put("description", tool.description());
                }
                declaration.set("parametersJsonSchema", tool.schema());
            }
        }
        ObjectNode config = generationConfig(request.params());
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        return body;
    }

    private List<ObjectNode> parts(Message message, String model, ToolCallNames names) {
        List<ObjectNode> parts = new ArrayList<>();
        String signature = null;
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Opaque opaque when opaque.provider().equals(provider) && opaque.model().equals(model) -> {
                    ObjectNode replayed = opaque(opaque);
                    if (GeminiParts.isSignatureOnly(replayed)) {
                        signature = replayed.get(GeminiParts.SIGNATURE).stringValue();
                    } else {
                        parts.add(replayed);
                    }
                }
                case Part.Opaque opaque -> {
                }
                default -> {
                    ObjectNode node = part(part, names);
                    if (node != null) {
                        if (signature != null) {
                            node.put(GeminiParts.SIGNATURE, signature);
                            signature = null;
                        }
                        parts.add(node);
                    }
                }
            }
        }
        if (message.role() == Role.ASSISTANT) {
            parts.stream().filter(p -> p.has("functionCall")).findFirst()
                    .filter(first -> !first.has(GeminiParts.SIGNATURE))
                    .ifPresent(first -> first.put(GeminiParts.SIGNATURE, FOREIGN_SIGNATURE));
        }
        return parts;
    }

    /** One neutral part as a Gemini part; null for what Gemini does not take (empty text). */
    private ObjectNode part(Part part, ToolCallNames names) {
        return switch (part) {
            case Part.Text t -> t.text().isEmpty() ? null : ParleyJson.object().put("text", t.text());
            case Part.ImageRef image -> image(image);
            case Part.ToolCall call -> {
                ObjectNode wrapper = ParleyJson.object();
                wrapper.putObject("functionCall").put("name", call.name()).set("args", ToolArguments.asObject(call.arguments()));
                yield wrapper;
            }
            case Part.ToolResult result -> {
                ObjectNode wrapper = ParleyJson.object();
                wrapper.putObject("functionResponse").put("name", names.nameOf(result)).set("response", response(result));
                yield wrapper;
            }
            case Part.Opaque opaque -> null;
        };
    }

    private ObjectNode opaque(Part.Opaque opaque) {
        JsonNode node = ParleyJson.parse(opaque.json(), "opaque part");
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidInputException("opaque part", provider + ": an opaque part of this provider must be a JSON object");
        }
        return object.deepCopy();
    }

    /** Gemini wants an object; a JSON-object result is sent as it is, anything else wrapped. */
    private static ObjectNode response(Part.ToolResult result) {
        if (result.isError()) {
            return ParleyJson.object().put("error", result.content());
        }
        try {
            if (ParleyJson.mapper().readTree(result.content()) instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            return ParleyJson.object().put("result", result.content());
        }
        return ParleyJson.object().put("result", result.content());
    }

    private ObjectNode image(Part.ImageRef image) {
        ObjectNode node = ParleyJson.object();
        if (DataUrl.isDataUrl(image.url())) {
            DataUrl data = DataUrl.parse(image.url()).orElseThrow(() -> new InvalidInputException("image url",
                    provider + ": a data: image URL must be base64 with a media type (data:image/png;base64,...)"));
            node.putObject("inlineData").put("mimeType", data.mediaType()).put("data", data.base64());
            return node;
        }
        String mimeType = image.mediaType() != null ? image.mediaType() : guessImageType(image.url());
        if (mimeType == null) {
            throw new InvalidInputException("image media type", provider + ": an image by URL needs its media type"
                    + " (Part.ImageRef.mediaType, e.g. image/png): Gemini requires a mimeType with every fileUri");
        }
        node.putObject("fileData").put("mimeType", mimeType).put("fileUri", image.url());
        return node;
    }

    private static String guessImageType(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null || path.lastIndexOf('.') < 0) {
            return null;
        }
        return IMAGE_TYPES.get(path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
    }

    private ObjectNode generationConfig(ModelParams params) {
        ObjectNode config = ParleyJson.object();
        if (params.temperature() != null) {
            config.put("temperature", params.temperature());
        }
        if (params.topK() != null) {
            config.put("topK", params.topK());
        }
        if (params.topP() != null) {
            config.put("topP", params.topP());
        }
        if (params.maxTokens() != null) {
            config.put("maxOutputTokens", params.maxTokens());
        }
        if (!params.stop().isEmpty()) {
            if (params.stop().size() > MAX_STOP_SEQUENCES) {
                throw new InvalidInputException("stop", provider + " accepts at most " + MAX_STOP_SEQUENCES
                        + " stop sequences: " + params.stop().size());
            }
            ArrayNode stop = config.putArray("stopSequences");
            params.stop().forEach(stop::add);
        }
        return config;
    }
}
