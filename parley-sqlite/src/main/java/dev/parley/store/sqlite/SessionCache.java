package dev.parley.store.sqlite;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The writer's memory of recently written sessions, so a hot session's append reads nothing before
 * it writes. It is only trusted while this store is the database's only writer: each batch asks
 * SQLite whether another connection committed since ours ({@code PRAGMA data_version}) and forgets
 * everything if one did. A request that rolls back forgets what it touched; a batch that fails to
 * commit forgets everything. Used only by whoever runs a batch (the writer thread, or a caller committing a lone
 * write), one at a time under the writer's lock.
 */
final class SessionCache {
    record Key(TenantId tenant, SessionId id) {
    }

    private static final int MAX_SESSIONS = 1024;

    /**
     * Least recently used first. One thread at a time uses it, on every append, so the JDK's access-ordered
     * map serves better than a concurrent cache, whose bookkeeping cost the writer a tenth of its time.
     */
    private final Map<Key, SessionState> states = new LinkedHashMap<>(2 * MAX_SESSIONS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SessionState> eldest) {
            return size() > MAX_SESSIONS;
        }
    };
    private final Set<Key> touchedByRequest = new HashSet<>();
    private long dataVersion = -1;

    SessionState get(Key key) {
        return states.get(key);
    }

    void put(Key key, SessionState state) {
        touchedByRequest.add(key);
        states.put(key, state);
    }

    void forget(Key key) {
        touchedByRequest.add(key);
        states.remove(key);
    }

    /** Called inside each batch's transaction with SQLite's {@code data_version}. */
    void batchStarted(long currentDataVersion) {
        if (currentDataVersion != dataVersion) {
            states.clear();
            dataVersion = currentDataVersion;
        }
    }

    void requestStarted() {
        touchedByRequest.clear();
    }

    void requestRolledBack() {
        states.keySet().removeAll(touchedByRequest);
        touchedByRequest.clear();
    }

    void batchFailed() {
        states.clear();
        touchedByRequest.clear();
    }
}
