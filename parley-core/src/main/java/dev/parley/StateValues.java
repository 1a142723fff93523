package dev.parley;

import dev.parley.json.ParleyJson;
import tools.jackson.core.JacksonException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Conversions between state values and their stored JSON text, with errors naming the key. */
final class StateValues {
    private static final Pattern KEY = Pattern.compile("[^\\p{Cntrl}]{1,256}");

    private StateValues() {
    }

    static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException("state key", "state key must be 1-256 characters without control characters"
                    + (key == null ? "" : ": '" + (key.length() > 64 ? key.substring(0, 64) + "…" : key) + "'"));
        }
        return key;
    }

    static String toJson(String key, Object value) {
        requireKey(key);
        if (value == null) {
            throw new InvalidInputException("state." + key, "state value for '" + key + "' is null; use remove() to delete a key");
        }
        try {
            return ParleyJson.write(ParleyJson.mapper().valueToTree(value));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidInputException("state." + key, "state value for '" + key + "' cannot be stored as JSON ("
                    + value.getClass().getName() + "): " + e.getMessage());
        }
    }

    static <T> Optional<T> fromJson(String key, String json, Class<T> type) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(ParleyJson.mapper().readValue(json, type));
        } catch (JacksonException e) {
            throw new InvalidInputException("state." + key, "state value for '" + key + "' is not a " + type.getSimpleName()
                    + ": " + json);
        }
    }

    static Map<String, Object> plain(Map<String, String> jsonValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(jsonValues).forEach((k, v) -> out.put(k, ParleyJson.mapper().readValue(v, Object.class)));
        return out;
    }
}
