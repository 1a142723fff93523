package dev.parley;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Payload;
import dev.parley.store.EntryDraft;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Session-scope state of one branch. Every change appends a STATE entry holding the delta and the
 * resulting snapshot, so the state follows the branch: restoring a checkpoint restores it, and each
 * STATE entry on a path is a version that can be brought back.
 */
final class SessionStateScope implements StateScope {
    /** The largest session-scope snapshot, in bytes of UTF-8 JSON. */
    static final int CAP_BYTES = 256 * 1024;

    private final Session session;

    SessionStateScope(Session session) {
        this.session = session;
    }

    static void requireWithinCap(Map<String, String> snapshot) {
        long bytes = 0;
        for (Map.Entry<String, String> e : snapshot.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > CAP_BYTES) {
            throw new InvalidInputException("state", "session state would be " + bytes
                    + " bytes, over the cap of " + CAP_BYTES + " bytes (session.state.cap)");
        }
    }

    private Map<String, String> current() {
        return session.stateAt(session.head());
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        StateValues.requireKey(key);
        return StateValues.fromJson(key, current().get(key), type);
    }

    @Override
    public void put(String key, Object value) {
        change(Map.of(key, StateValues.toJson(key, value)), Set.of());
    }

    @Override
    public void putAll(Map<String, ?> values) {
        Map<String, String> json = new LinkedHashMap<>();
        values.forEach((k, v) -> json.put(k, StateValues.toJson(k, v)));
        change(json, Set.of());
    }

    @Override
    public void remove(String key) {
        change(Map.of(), Set.of(StateValues.requireKey(key)));
    }

    @Override
    public boolean contains(String key) {
        return current().containsKey(StateValues.requireKey(key));
    }

    @Override
    public Map<String, Object> all() {
        return StateValues.plain(current());
    }

    /** Appends one STATE entry, conditional on the head it was computed from; retried if another write landed. */
    void change(Map<String, String> set, Set<String> removed) {
        session.appendOnHead("state", head -> {
            Map<String, String> before = session.stateAt(head);
            Map<String, String> after = new HashMap<>(before);
            after.putAll(set);
            Set<String> actuallyRemoved = new HashSet<>();
            for (String key : removed) {
                if (after.remove(key) != null) {
                    actuallyRemoved.add(key);
                }
            }
            if (after.equals(before)) {
                return null;
            }
            requireWithinCap(after);
            return new EntryDraft(session.parley().now(), EntryKind.STATE, new Payload.StatePayload(set, actuallyRemoved, after));
        });
    }
}
