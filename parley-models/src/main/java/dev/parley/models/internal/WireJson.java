package dev.parley.models.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.Unicode;
import dev.parley.json.ParleyJson;
import dev.parley.models.ModelException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Parsing of provider responses: anything that is not the JSON expected is a {@link ModelException.MalformedResponse}. */
public final class WireJson {
    private static final int SNIPPET = 200;

    private WireJson() {
    }

    /** Parses a response body (or one stream event) that must be a JSON object. */
    public static JsonNode object(String provider, String text, int status, String what, Secret secret) {
        JsonNode node;
        try {
            node = ParleyJson.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new ModelException.MalformedResponse(provider, provider + ": " + what + " is not valid JSON ("
                    + ParleyJson.describe(e) + "): " + snippet(text, secret), status, e);
        }
        if (node == null || !node.isObject()) {
            throw new ModelException.MalformedResponse(provider, provider + ": " + what + " is not a JSON object: "
                    + snippet(text, secret), status, null);
        }
        try {
            ParleyJson.requireWellFormed(text, node, "");
        } catch (InvalidInputException e) {
            throw new ModelException.MalformedResponse(provider, provider + ": " + what + " holds text no session can keep: "
                    + secret.redact(e.getMessage()), status, e);
        }
        return node;
    }

    public static ModelException.MalformedResponse malformed(String provider, String what, JsonNode node, Secret secret) {
        return new ModelException.MalformedResponse(provider, provider + ": " + what + ": "
                + snippet(ParleyJson.write(node), secret), 200, null);
    }

    /** The start of a text, for an error message: enough to recognise an HTML page or a foreign API. */
    public static String snippet(String text, Secret secret) {
        String redacted = secret.redact(text == null ? "" : text).strip();
        String shown = redacted.length() <= SNIPPET ? redacted : Unicode.prefix(redacted, SNIPPET) + "…";
        return shown.isEmpty() ? "(empty body)" : "'" + shown.replace('\n', ' ') + "'";
    }

    /** A string field, or {@code fallback} when it is absent or not a string. */
    public static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : fallback;
    }

    /**
     * Token counts added up, saturating: each is a valid int, but a provider's (or a proxy's) absurd values must not
     * wrap to a negative total that {@code Usage} rejects, failing an otherwise good reply.
     */
    public static int sum(int... counts) {
        long total = 0;
        for (int count : counts) {
            total += count;
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /** A non-negative int field, or 0. */
    public static int count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToInt() && value.intValue() > 0 ? value.intValue() : 0;
    }
}
