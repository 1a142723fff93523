package dev.parley.store.jsonl;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reads of the fields of a stored line: a missing or mistyped field fails with its name, so a
 * damaged file is reported precisely instead of loading as something else.
 */
final class Fields {
    private Fields() {
    }

    static JsonNode node(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }

    static JsonNode object(JsonNode parent, String field) {
        JsonNode value = node(parent, field);
        if (!value.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' must be an object");
        }
        return value;
    }

    /** An array, or an empty one when the field is absent (empty lists are not written). */
    static Iterable<JsonNode> array(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array");
        }
        return value;
    }

    static String string(JsonNode parent, String field) {
        JsonNode value = node(parent, field);
        if (!value.isString()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.stringValue();
    }

    static String optString(JsonNode parent, String field) {
        return parent.hasNonNull(field) ? string(parent, field) : null;
    }

    static long integer(JsonNode parent, String field) {
        JsonNode value = node(parent, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer");
        }
        return value.longValue();
    }

    static Long optInteger(JsonNode parent, String field) {
        return parent.hasNonNull(field) ? integer(parent, field) : null;
    }

    /** {@code value} itself as an integer; {@code what} names it in the error. */
    static long integerValue(JsonNode value, String what) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(what + " must be an integer");
        }
        return value.longValue();
    }

    static boolean bool(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    static Instant instant(JsonNode parent, String field) {
        String text = string(parent, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 instant: " + text, e);
        }
    }

    static Instant optInstant(JsonNode parent, String field) {
        return parent.hasNonNull(field) ? instant(parent, field) : null;
    }

    static Duration optDuration(JsonNode parent, String field) {
        if (!parent.hasNonNull(field)) {
            return null;
        }
        String text = string(parent, field);
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 duration: " + text, e);
        }
    }

    /** An object of strings; an absent field is an empty map. */
    static Map<String, String> strings(JsonNode parent, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : optObject(parent, field).properties()) {
            if (!e.getValue().isString()) {
                throw new IllegalArgumentException("field '" + field + "." + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }

    /** An object of integers; an absent field is an empty map. */
    static Map<String, Long> integers(JsonNode parent, String field) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : optObject(parent, field).properties()) {
            out.put(e.getKey(), integerValue(e.getValue(), "field '" + field + "." + e.getKey() + "'"));
        }
        return out;
    }

    private static JsonNode optObject(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' must be an object");
        }
        return value;
    }
}
