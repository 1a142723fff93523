package dev.parley.models.internal;

import dev.parley.json.ParleyJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tool-call arguments for providers that take them as a JSON object rather than as text. */
public final class ToolArguments {
    private ToolArguments() {
    }

    /**
     * The arguments as an object: empty text is {@code {}}; text that is not a JSON object (a model's broken output,
     * kept verbatim in the history) becomes {@code {"invalid_arguments": "<the text>"}} so the request stays valid
     * and the model still sees what it sent.
     */
    public static ObjectNode asObject(String arguments) {
        if (arguments.isBlank()) {
            return ParleyJson.object();
        }
        try {
            JsonNode parsed = ParleyJson.mapper().readTree(arguments);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            return ParleyJson.object().put("invalid_arguments", arguments);
        }
        return ParleyJson.object().put("invalid_arguments", arguments);
    }

    /** An arguments object the provider sent, as the canonical JSON text the neutral history keeps. */
    public static String text(JsonNode arguments) {
        return arguments != null && arguments.isObject() ? ParleyJson.write(arguments) : "{}";
    }
}
