package dev.parley.client;

import dev.parley.StateScope;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/**
 * One stored scope of a remote session's state. Reads fetch the session's state; writes send values that replace the
 * ones there (one STATE entry per {@link #putAll} for session scope, as in the library). Writes need an API key: a
 * session token may read state but not change it.
 */
final class RemoteStateScope implements StateScope {
    private final RemoteSession session;
    private final String scope;

    RemoteStateScope(RemoteSession session, String scope) {
        this.session = session;
        this.scope = scope;
    }

    /** Session scope follows the handle's branch; user and app scope are the same on every branch. */
    private String branch() {
        return scope.equals("session") ? session.branchName() : null;
    }

    private JsonNode values() {
        return session.transport().get(session.path("/state")).query("branch", branch()).send().json().path(scope);
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        StateJson.requireKey(key);
        return StateJson.value(key, values().get(key), type);
    }

    @Override
    public void put(String key, Object value) {
        write(StateJson.values(java.util.Collections.singletonMap(key, value)), null);
    }

    @Override
    public void putAll(Map<String, ?> values) {
        write(StateJson.values(values), null);
    }

    @Override
    public void remove(String key) {
        write(null, StateJson.requireKey(key));
    }

    private void write(ObjectNode set, String remove) {
        ObjectNode body = ParleyJson.object();
        if (set != null) {
            body.set("set", set);
        }
        if (remove != null) {
            body.putArray("remove").add(remove);
        }
        if (branch() != null) {
            body.put("branch", branch());
        }
        session.transport().post(session.path("/state/" + scope)).json(body).send();
    }

    @Override
    public boolean contains(String key) {
        StateJson.requireKey(key);
        return values().has(key);
    }

    @Override
    public Map<String, Object> all() {
        return StateJson.plain(values());
    }
}
