package dev.parley.store.sqlite;

import dev.parley.domain.Entry;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writer's memory of recently written sessions, so a hot session's append reads nothing before
 * it writes. It is only trusted while this store is the database's only writer: each batch asks
 * SQLite whether another connection committed since ours ({@code PRAGMA data_version}) and forgets
 * everything if one did. A request that rolls back forgets what it touched; a batch that fails to
 * commit forgets everything. Used only by whoever runs a batch (the writer thread, or a caller committing a lone
 * write), one at a time under the writer's lock.
 *
 * <p>It also notes what each batch changed of each session, and once the batch has committed publishes the sessions
 * to the {@link CommittedView} the reads use.
 */
final class SessionCache {
    /**
     * A session's key. Not a record: the writer hashes keys several times per append, and a record's generated
     * {@code hashCode} and {@code equals} cost more than this precomputed hash and plain comparison.
     */
    static final class Key {
        private final TenantId tenant;
        private final SessionId id;
        private final int hash;

        Key(TenantId tenant, SessionId id) {
            this.tenant = tenant;
            this.id = id;
            this.hash = 31 * tenant.value().hashCode() + id.value().hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof Key key && hash == key.hash && id.value().equals(key.id.value())
                    && tenant.value().equals(key.tenant.value());
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return tenant.value() + "/" + id.value();
        }
    }

    /** What a request or a batch did to one session: entries it appended, and whether older entries changed or went. */
    private static final class Change {
        boolean entriesReplaced;
        final List<CommittedView.Held> appended = new ArrayList<>();

        void replaceEntries() {
            entriesReplaced = true;
            appended.clear();
        }

        void add(Change later) {
            if (later.entriesReplaced) {
                replaceEntries();
            }
            appended.addAll(later.appended);
        }
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
    private final Map<Key, Change> requestChanges = new LinkedHashMap<>();
    private final Map<Key, Change> batchChanges = new LinkedHashMap<>();
    private final CommittedView view;
    private long dataVersion = -1;

    /** A cache publishing nowhere (a writer without reads to serve). */
    SessionCache() {
        this(CommittedView.disabled());
    }

    SessionCache(CommittedView view) {
        this.view = view;
    }

    SessionState get(Key key) {
        return states.get(key);
    }

    /** The session as read, or as written without entries. */
    void put(Key key, SessionState state) {
        touchedByRequest.add(key);
        states.put(key, state);
        requestChanges.computeIfAbsent(key, k -> new Change());
    }

    /** The session after a write that appended {@code entries} (their payload JSON {@code payloads} holds). */
    void wrote(Key key, SessionState state, List<Entry> entries, PayloadTexts payloads) {
        put(key, state);
        Change change = requestChanges.get(key);
        for (Entry entry : entries) {
            change.appended.add(new CommittedView.Held(entry, payloads.weight(entry.payload())));
        }
    }

    /** The session after a write that changed or replaced entries written before (a redaction, an import). */
    void rewrote(Key key, SessionState state) {
        put(key, state);
        requestChanges.get(key).replaceEntries();
    }

    void forget(Key key) {
        touchedByRequest.add(key);
        states.remove(key);
        requestChanges.computeIfAbsent(key, k -> new Change()).replaceEntries();
    }

    /** Called inside each batch's transaction with SQLite's {@code data_version}. */
    void batchStarted(long currentDataVersion) {
        if (currentDataVersion != dataVersion) {
            states.clear();
            view.forgetAll();
            dataVersion = currentDataVersion;
        }
        requestChanges.clear();
        batchChanges.clear();
        view.batchBegun();
    }

    void requestStarted() {
        keepRequestChanges();
        touchedByRequest.clear();
    }

    void requestRolledBack() {
        states.keySet().removeAll(touchedByRequest);
        touchedByRequest.clear();
        requestChanges.clear();
    }

    /** The batch committed: publishes every session it touched, as this cache now holds it (or as gone). */
    void batchCommitted() {
        keepRequestChanges();
        batchChanges.forEach((key, change) -> {
            SessionState state = states.get(key);
            if (state == null) {
                view.forget(key);
            } else {
                view.publish(key, state, !change.entriesReplaced, change.appended);
            }
        });
        batchChanges.clear();
        view.committed();
    }

    void batchFailed() {
        states.clear();
        touchedByRequest.clear();
        requestChanges.clear();
        batchChanges.clear();
        view.forgetAll();
    }

    private void keepRequestChanges() {
        requestChanges.forEach((key, change) -> batchChanges.computeIfAbsent(key, k -> new Change()).add(change));
        requestChanges.clear();
    }
}
