package dev.parley;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/** Temp-scope state: lives only in this process, in the session handle, and is never persisted. */
final class TempStateScope implements StateScope {
    private final ConcurrentMap<String, String> values;

    TempStateScope(ConcurrentMap<String, String> values) {
        this.values = values;
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        return StateValues.fromJson(StateValues.requireKey(key), values.get(key), type);
    }

    @Override
    public void put(String key, Object value) {
        values.put(key, StateValues.toJson(key, value));
    }

    @Override
    public void putAll(Map<String, ?> newValues) {
        Map<String, String> json = new LinkedHashMap<>();
        newValues.forEach((k, v) -> json.put(k, StateValues.toJson(k, v)));
        values.putAll(json);
    }

    @Override
    public void remove(String key) {
        values.remove(StateValues.requireKey(key));
    }

    @Override
    public boolean contains(String key) {
        return values.containsKey(StateValues.requireKey(key));
    }

    @Override
    public Map<String, Object> all() {
        return StateValues.plain(values);
    }
}
