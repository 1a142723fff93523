package dev.parley.client;

import dev.parley.StateScope;
import dev.parley.json.ParleyJson;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/** Temp-scope state: in this process only, shared by a handle and those made from it with {@code on}; never sent. */
final class HandleStateScope implements StateScope {
    private final ConcurrentMap<String, String> values;

    HandleStateScope(ConcurrentMap<String, String> values) {
        this.values = values;
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        String json = values.get(StateJson.requireKey(key));
        return json == null ? Optional.empty() : StateJson.value(key, ParleyJson.parse(json, "temp state"), type);
    }

    @Override
    public void put(String key, Object value) {
        values.put(key, ParleyJson.write(StateJson.node(key, value)));
    }

    @Override
    public void putAll(Map<String, ?> values) {
        Map<String, String> json = new LinkedHashMap<>();
        values.forEach((k, v) -> json.put(k, ParleyJson.write(StateJson.node(k, v))));
        this.values.putAll(json);
    }

    @Override
    public void remove(String key) {
        values.remove(StateJson.requireKey(key));
    }

    @Override
    public boolean contains(String key) {
        return values.containsKey(StateJson.requireKey(key));
    }

    @Override
    public Map<String, Object> all() {
        Map<String, Object> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(values).forEach((k, v) -> out.put(k, ParleyJson.mapper().readValue(v, Object.class)));
        return out;
    }
}
