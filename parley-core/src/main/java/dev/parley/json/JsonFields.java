package dev.parley.json;

import dev.parley.InvalidInputException;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Strict reads of JSON fields: a missing or mistyped field is an error naming its path. */
final class JsonFields {
    private JsonFields() {
    }

    static JsonNode node(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " is required");
        }
        return value;
    }

    static JsonNode object(JsonNode parent, String field, String path) {
        JsonNode value = node(parent, field, path);
        if (!value.isObject()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be an object");
        }
        return value;
    }

    static JsonNode array(JsonNode parent, String field, String path) {
        JsonNode value = node(parent, field, path);
        if (!value.isArray()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be an array");
        }
        return value;
    }

    static String string(JsonNode parent, String field, String path) {
        JsonNode value = node(parent, field, path);
        if (!value.isString()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be a string");
        }
        return value.stringValue();
    }

    static String optString(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be a string");
        }
        return value.stringValue();
    }

    static long integer(JsonNode parent, String field, String path) {
        JsonNode value = node(parent, field, path);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be an integer");
        }
        return value.longValue();
    }

    static Long optInteger(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return integer(parent, field, path);
    }

    static boolean bool(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be true or false");
        }
        return value.booleanValue();
    }

    static Instant instant(JsonNode parent, String field, String path) {
        String text = string(parent, field, path);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be an ISO-8601 instant: " + text);
        }
    }

    static Instant optInstant(JsonNode parent, String field, String path) {
        return parent.hasNonNull(field) ? instant(parent, field, path) : null;
    }

    static Map<String, String> stringMap(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw new InvalidInputException(path + "." + field, path + "." + field + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            if (!e.getValue().isString()) {
                throw new InvalidInputException(path + "." + field + "." + e.getKey(),
                        path + "." + field + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }
}
