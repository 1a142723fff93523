package dev.parley;

import java.util.Map;
import java.util.Optional;

/**
 * Key/value state in one scope. Values are anything Jackson can write as JSON (strings, numbers,
 * booleans, lists, maps, records); they are stored as JSON and read back as the type asked for.
 * State is never sanitised by the privacy layer: keep secrets out of it.
 */
public interface StateScope {

    <T> Optional<T> get(String key, Class<T> type);

    default <T> Optional<T> get(StateKey<T> key) {
        return get(key.name(), key.type());
    }

    default Optional<String> getString(String key) {
        return get(key, String.class);
    }

    /** Sets a value; {@code null} is refused (use {@link #remove}). */
    void put(String key, Object value);

    default <T> void put(StateKey<T> key, T value) {
        put(key.name(), value);
    }

    /** Sets several values at once (one STATE entry for session scope). */
    void putAll(Map<String, ?> values);

    void remove(String key);

    boolean contains(String key);

    /** All values as plain Java (String, Number, Boolean, List, Map). */
    Map<String, Object> all();
}
