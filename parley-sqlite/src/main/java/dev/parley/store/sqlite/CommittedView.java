package dev.parley.store.sqlite;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionInfo;
import dev.parley.store.SessionSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the reads of a hot session can be answered from without SQLite: the committed row and branches of recently
 * written sessions and their newest entries, published by the writer after each commit and before it answers the
 * batch's callers. A chat turn reads its session and the tail of its path; after every commit SQLite drops each read
 * connection's page cache, so those reads went to the file page by page (about thirty system calls a turn).
 *
 * <p><b>Never stale.</b> Only the writer publishes, and only what its committed transaction wrote or read under the
 * write lock. A read trusts the view only while the WAL index ({@link WalIndex}) is in the state the writer last
 * vouched for: at the start of each batch (holding the write lock, once {@code data_version} showed no other
 * connection committed since our last commit) and right after its commit if the commit counter moved by exactly one.
 * Any commit by another process changes that state, so the read goes to SQLite, and the writer's next batch sees
 * the commit and empties the view. A redaction, deletion or import drops the session's entries; a failed batch
 * empties the view.
 *
 * <p>Only sessions something has read are published: the first read of a session goes to the file and asks for it,
 * so a session that is only ever written to costs the writer nothing here. Bounded by weight (the entries' JSON size),
 * so a few long messages cannot hold much memory.
 */
final class CommittedView {
    /** The newest entries kept per session: enough for several pages of a context. */
    static final int TAIL = 48;
    /** Characters of payload JSON per unit of weight. */
    static final int CHARS_PER_WEIGHT = 256;
    /** The payload JSON the view holds in all, in units of weight: about 16 million characters. */
    private static final long MAX_WEIGHT = 16_000_000 / CHARS_PER_WEIGHT;
    private static final long NONE = -1;
    /** Sessions waiting to be published at most; past it the list starts again (a read of many sessions, once each). */
    private static final int MAX_WANTED = 4096;

    /** An entry and its weight (-1: its size is unknown, so it is not held). */
    record Held(Entry entry, int weight) {
    }

    /** One session as last committed. Identity matters: a new commit publishes a new object. */
    static final class Committed {
        final long pk;
        final SessionSnapshot snapshot;
        /** The newest entries known, in seq order (ids are seqs). */
        private final Held[] tail;
        private final int weight;

        private Committed(long pk, SessionSnapshot snapshot, Held[] tail) {
            this.pk = pk;
            this.snapshot = snapshot;
            this.tail = tail;
            int sum = 1;
            for (Held held : tail) {
                sum += held.weight();
            }
            this.weight = sum;
        }

        Optional<Entry> entry(EntryId id) {
            int at = indexOf(id);
            return at < 0 ? Optional.empty() : Optional.of(tail[at].entry());
        }

        private int indexOf(EntryId id) {
            int low = 0;
            int high = tail.length - 1;
            long seq = id.value();
            while (low <= high) {
                int mid = (low + high) >>> 1;
                long at = tail[mid].entry().id().value();
                if (at < seq) {
                    low = mid + 1;
                } else if (at > seq) {
                    high = mid - 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }

        /**
         * The newest part of the path ending at {@code head} that the view holds, at most {@code limit} entries, oldest
         * first; null if it does not hold {@code head}. {@link PathPart#next()} is where SQLite must go on, or null.
         */
        PathPart path(EntryId head, int limit) {
            int at = indexOf(head);
            if (at < 0) {
                return null;
            }
            List<Entry> newestFirst = new ArrayList<>(Math.min(limit, TAIL));
            EntryId next = head;
            while (next != null && newestFirst.size() < limit) {
                at = indexOf(next);
                if (at < 0) {
                    break;
                }
                Entry entry = tail[at].entry();
                newestFirst.add(entry);
                next = entry.parent();
            }
            List<Entry> oldestFirst = newestFirst.reversed();
            return new PathPart(oldestFirst, newestFirst.size() < limit ? next : null);
        }
    }

    /** Part of a path: the entries the view holds, and the entry before them SQLite must start from (null: none). */
    record PathPart(List<Entry> entries, EntryId next) {
    }

    private final WalIndex index;
    /** What the reads look up. Only the writer changes it. */
    private final Map<SessionCache.Key, Committed> sessions = new ConcurrentHashMap<>();
    /**
     * The same sessions, least recently published first, and their total weight: the writer's own bookkeeping for
     * evicting. Only the writer changes the view, so plain maps serve; Caffeine's bounded cache was no cheaper in the
     * writer's profile (decision 118).
     */
    private final LinkedHashMap<SessionCache.Key, Committed> byAge = new LinkedHashMap<>(256, 0.75f, true);
    private long weight;
    /** Sessions a read looked for and did not find: the writer publishes them at their next commit. */
    private final Set<SessionCache.Key> wanted = ConcurrentHashMap.newKeySet();
    /** The WAL index's state right after the writer's last publication; NONE while the view is not to be trusted. */
    private volatile long expected = NONE;
    /** The commit counter the writer read inside its open transaction; NONE outside one. */
    private long changeBefore = NONE;

    /** A view trusting nothing, for a database without a WAL index it can map. */
    static CommittedView disabled() {
        return new CommittedView(null);
    }

    CommittedView(WalIndex index) {
        this.index = index;
    }

    // ---- the reads --------------------------------------------------------------------------------------

    /** The session as last committed, if the view holds it and nothing has been committed since it was published. */
    Committed current(SessionCache.Key key) {
        long trusted = expected;
        if (trusted == NONE || index.state() != trusted) {
            return null;
        }
        Committed committed = sessions.get(key);
        if (committed == null) {
            if (wanted.size() >= MAX_WANTED) {
                wanted.clear();
            }
            wanted.add(key);
        }
        return committed;
    }

    // ---- the writer's side: called only by whoever runs a batch, under the writer's lock -----------------------

    /**
     * The batch's transaction is open and holds the write lock, and the writer has checked that no other connection
     * committed since our last commit ({@code data_version}; it empties the view if one did). So the view is the
     * database as it is, and stays so until this batch commits: reads may trust it.
     */
    void batchBegun() {
        if (index == null) {
            return;
        }
        long state = index.state();
        changeBefore = state == WalIndex.UNKNOWN ? NONE : WalIndex.changeOf(state);
        expected = state == WalIndex.UNKNOWN ? NONE : state;
    }

    /** Publishes one session as the batch committed it; {@code keptTail} false drops the entries published before. */
    void publish(SessionCache.Key key, SessionState state, boolean keptTail, List<Held> appended) {
        if (index == null || !sessions.containsKey(key) && !wanted.remove(key)) {
            // Nobody has read it since it was last dropped: a session only written to costs the writer nothing here.
            return;
        }
        if (!exactToTheMillisecond(state.snapshot(), appended)) {
            // The session is read from the file until it is written again.
            forget(key);
            return;
        }
        Committed before = keptTail ? sessions.get(key) : null;
        List<Held> all = new ArrayList<>(before != null && before.pk == state.pk() ? Arrays.asList(before.tail) : List.of());
        all.addAll(appended);
        Held[] tail = all.subList(Math.max(0, all.size() - TAIL), all.size()).toArray(Held[]::new);
        if (!ascending(tail)) {
            forget(key);
            return;
        }
        Committed committed = new Committed(state.pk(), state.snapshot(), tail);
        Committed replaced = sessions.put(key, committed);
        byAge.put(key, committed); // access-ordered: now the most recently published
        weight += committed.weight - (replaced == null ? 0 : replaced.weight);
        for (Iterator<Map.Entry<SessionCache.Key, Committed>> oldest = byAge.entrySet().iterator();
             weight > MAX_WEIGHT && oldest.hasNext(); ) {
            Map.Entry<SessionCache.Key, Committed> evicted = oldest.next();
            oldest.remove();
            weight -= evicted.getValue().weight;
            sessions.remove(evicted.getKey());
        }
    }

    void forget(SessionCache.Key key) {
        Committed gone = byAge.remove(key);
        if (gone != null) {
            weight -= gone.weight;
            sessions.remove(key);
        }
    }

    /**
     * The batch committed and its sessions are published. Reads may trust the view at once if the commit counter
     * moved by exactly our commit. Otherwise another process may have committed right after us (or SQLite restarted
     * the log as part of our commit, which counts too): the view waits for the next batch, which tells the two apart.
     */
    void committed() {
        if (index == null) {
            return;
        }
        long state = index.state();
        boolean onlyOurs = changeBefore != NONE && state != WalIndex.UNKNOWN
                && WalIndex.changeOf(state) == ((changeBefore + 1) & 0x7fff_ffffL);
        expected = onlyOurs ? state : NONE;
        changeBefore = NONE;
    }

    /** Another process committed, or a batch failed: nothing published so far is to be trusted. */
    void forgetAll() {
        expected = NONE;
        sessions.clear();
        byAge.clear();
        wanted.clear();
        weight = 0;
        changeBefore = NONE;
    }

    private static boolean ascending(Held[] tail) {
        for (int i = 1; i < tail.length; i++) {
            if (tail[i - 1].entry().id().value() >= tail[i].entry().id().value()) {
                return false;
            }
        }
        return true;
    }

    /**
     * False if the file would give back other than what was written (SQLite keeps milliseconds), or an entry's size is
     * unknown.
     */
    private static boolean exactToTheMillisecond(SessionSnapshot snapshot, List<Held> appended) {
        SessionInfo info = snapshot.info();
        if (!exact(info.createdAt()) || !exact(info.updatedAt()) || !exact(info.expiresAt()) || !exact(info.absoluteExpiresAt())) {
            return false;
        }
        for (Held held : appended) {
            Entry entry = held.entry();
            if (held.weight() < 0 || !exact(entry.at())) {
                return false;
            }
            if (entry.payload() instanceof Payload.Redacted redacted && !exact(redacted.at())) {
                return false;
            }
        }
        return true;
    }

    private static boolean exact(Instant instant) {
        return instant == null || instant.getNano() % 1_000_000 == 0;
    }
}
