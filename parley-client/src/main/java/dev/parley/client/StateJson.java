package dev.parley.client;

import dev.parley.InvalidInputException;
import dev.parley.json.ParleyJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** State values to and from JSON, with the library's rules and messages (the key and what is wrong with it). */
final class StateJson {
    private static final Pattern KEY = Pattern.compile("[^\\p{Cntrl}]{1,256}");

    private StateJson() {
    }

    static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException("state key", "state key must be 1-256 characters without control characters"
                    + (key == null ? "" : ": '" + (key.length() > 64 ? key.substring(0, 64) + "…" : key) + "'"));
        }
        return key;
    }

    static JsonNode node(String key, Object value) {
        requireKey(key);
        if (value == null) {
            throw new InvalidInputException("state." + key, "state value for '" + key + "' is null; use remove() to delete a key");
        }
        try {
            return ParleyJson.mapper().valueToTree(value);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidInputException("state." + key, "state value for '" + key + "' cannot be stored as JSON ("
                    + value.getClass().getName() + "): " + e.getMessage());
        }
    }

    static ObjectNode values(Map<String, ?> values) {
        ObjectNode node = ParleyJson.object();
        values.forEach((k, v) -> node.set(k, node(k, v)));
        return node;
    }

    static <T> Optional<T> value(String key, JsonNode json, Class<T> type) {
        if (json == null || json.isMissingNode()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(ParleyJson.mapper().treeToValue(json, type));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidInputException("state." + key, "state value for '" + key + "' is not a " + type.getSimpleName()
                    + ": " + ParleyJson.write(json));
        }
    }

    /** All values of a scope as plain Java (String, Number, Boolean, List, Map), by key. */
    static Map<String, Object> plain(JsonNode scope) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (scope != null) {
            new TreeMap<>(toMap(scope)).forEach((k, v) -> out.put(k, ParleyJson.mapper().convertValue(v, Object.class)));
        }
        return out;
    }

    private static Map<String, JsonNode> toMap(JsonNode scope) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        scope.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
