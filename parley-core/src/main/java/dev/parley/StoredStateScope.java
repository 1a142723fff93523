package dev.parley;

import dev.parley.domain.TenantId;
import dev.parley.store.Scope;
import dev.parley.store.SessionStore;
import dev.parley.store.Versioned;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** User- or app-scope state: one stored row per key, so writing one key never rewrites the others. */
final class StoredStateScope implements StateScope {
    private final SessionStore store;
    private final TenantId tenant;
    private final Scope scope;

    StoredStateScope(SessionStore store, TenantId tenant, Scope scope) {
        this.store = store;
        this.tenant = tenant;
        this.scope = scope;
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        StateValues.requireKey(key);
        return store.scopedValue(tenant, scope, key).flatMap(v -> StateValues.fromJson(key, v.value(), type));
    }

    @Override
    public void put(String key, Object value) {
        store.putScoped(tenant, scope, key, StateValues.toJson(key, value), null);
    }

    @Override
    public void putAll(Map<String, ?> values) {
        Map<String, String> json = new LinkedHashMap<>();
        values.forEach((k, v) -> json.put(k, StateValues.toJson(k, v)));
        json.forEach((k, v) -> store.putScoped(tenant, scope, k, v, null));
    }

    @Override
    public void remove(String key) {
        StateValues.requireKey(key);
        store.putScoped(tenant, scope, key, null, null);
    }

    @Override
    public boolean contains(String key) {
        StateValues.requireKey(key);
        return store.scopedValue(tenant, scope, key).isPresent();
    }

    @Override
    public Map<String, Object> all() {
        Map<String, String> json = new LinkedHashMap<>();
        store.scopedState(tenant, scope).forEach((k, v) -> json.put(k, v.value()));
        return StateValues.plain(json);
    }

    /** The key's version, for conditional updates through the store. */
    Optional<Versioned<String>> versioned(String key) {
        return store.scopedValue(tenant, scope, key);
    }
}
