package dev.parley.models;

import dev.parley.InvalidInputException;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool the model may call: its name, what it does, and the JSON Schema of its arguments (an object schema,
 * kept as canonical JSON text so the spec stays immutable). Usually made by
 * {@link dev.parley.models.tools.ToolRegistry}, which generates the schema from Java types.
 */
public record ToolSpec(String name, String description, String parametersSchema) {
    /** The rule both OpenAI and Anthropic enforce on tool names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ToolSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("tool name",
                    "tool name must be 1-64 characters of [A-Za-z0-9_-]: " + (name == null ? "null" : "'" + name + "'"));
        }
        description = Objects.requireNonNullElse(description, "");
        Objects.requireNonNull(parametersSchema, "parametersSchema");
        JsonNode schema = ParleyJson.parse(parametersSchema, "parameters schema of tool " + name);
        if (!schema.isObject() || !"object".equals(schema.path("type").asString(""))) {
            throw new InvalidInputException("parameters schema",
                    "the parameters schema of tool " + name + " must be a JSON object schema ({\"type\":\"object\", ...})");
        }
        parametersSchema = ParleyJson.write(schema);
    }

    /** The schema as a fresh JSON tree (callers may change their copy). */
    public JsonNode schema() {
        return ParleyJson.parse(parametersSchema, "parameters schema");
    }
}
