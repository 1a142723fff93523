package dev.parley.store.jsonl;

import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.store.AccessCounter;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One session's in-memory index and its file.
 *
 * <p>Two locks: {@link #writer} serialises everything that changes the session (plan, append and
 * fsync, apply), and is held across the disk write; the read/write lock guards the maps only while a
 * change is applied, so readers never wait for an fsync. A writer reads the maps without the read
 * lock, which is safe because only holders of {@link #writer} change them. {@link ReentrantLock}
 * rather than {@code synchronized}, so virtual threads blocked on disk do not pin their carrier.
 */
final class SessionData {
    final SessionId id;
    final ReentrantLock writer = new ReentrantLock();
    private final ReentrantReadWriteLock state = new ReentrantReadWriteLock();

    private LogFile file;
    /** Null until the session's first line is on disk; such a session is invisible. */
    private SessionInfo info;
    private boolean deleted;
    private final Map<String, Branch> branches = new LinkedHashMap<>();
    private final NavigableMap<Long, Entry> entries = new TreeMap<>();
    private final Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
    /** How many checkpoints mark each entry, so "is this head marked?" is one lookup. */
    private final Map<Long, Integer> checkpointsAt = new HashMap<>();
    private final Map<String, VaultRow> vault = new LinkedHashMap<>();
    private final Set<String> vaultLookups = new HashSet<>();
    private final Map<String, IdempotencyRecord> idempotency = new HashMap<>();
    private final Map<String, Long> counters = new TreeMap<>();

    SessionData(SessionId id) {
        this.id = id;
    }

    // ---- for holders of the writer lock ---------------------------------------------------------------

    LogFile file() {
        return file;
    }

    void attach(LogFile logFile) {
        this.file = logFile;
    }

    /** Whether the session exists and has not expired. Holders of {@link #writer} may call it without the read lock. */
    boolean isLive(Instant now) {
        return info != null && !deleted && !info.isExpiredAt(now);
    }

    boolean isDeleted() {
        return deleted;
    }

    SessionInfo info() {
        return info;
    }

    void requireLive(Instant now) {
        if (!isLive(now)) {
            throw new NotFoundException("no session " + id);
        }
    }

    Entry entryForWriter(EntryId entryId) {
        return entries.get(entryId.value());
    }

    /** Applies a change that is on disk. The caller holds {@link #writer} (or is loading, alone). */
    void apply(Change change) {
        state.writeLock().lock();
        try {
            switch (change) {
                case Change.Write write -> {
                    info = write.info();
                    write.entries().forEach(e -> entries.put(e.seq(), e));
                    write.branches().forEach(b -> branches.put(b.name(), b));
                    write.deletedBranches().forEach(branches::remove);
                    write.deletedCheckpoints().forEach(this::removeCheckpoint);
                    write.checkpoints().forEach(this::addCheckpoint);
                    for (VaultRow row : write.vault()) {
                        vault.put(row.placeholder(), row);
                        vaultLookups.add(row.lookup());
                    }
                    write.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
                    if (write.idempotency() != null) {
                        idempotency.put(write.idempotency().key(), write.idempotency());
                    }
                }
                case Change.Redact redact -> {
                    info = redact.info();
                    entries.computeIfPresent(redact.entry().value(), (seq, e) -> e.withPayload(redact.tombstone()));
                }
            }
        } finally {
            state.writeLock().unlock();
        }
    }

    /**
     * Checks that a change fits what came before it: the first line opens the session, entries are new
     * and attach to known parents, a redaction names a known message. Loading checks every line, and an
     * import is checked before it is written, so a file this store wrote always loads again.
     */
    void check(Change change) {
        boolean first = info == null;
        switch (change) {
            case Change.Write write -> {
                if (write.opens() != first) {
                    throw new IllegalArgumentException(first ? "the first line must be a \"create\" line"
                            : "a \"create\" line may only be the first line");
                }
                Set<Long> added = new HashSet<>();
                for (Entry e : write.entries()) {
                    if (entries.containsKey(e.seq()) || !added.add(e.seq())) {
                        throw new IllegalArgumentException("entry " + e.id() + " appears twice");
                    }
                }
                for (Entry e : write.entries()) {
                    if (e.parent() != null && !entries.containsKey(e.parent().value()) && !added.contains(e.parent().value())) {
                        throw new IllegalArgumentException("entry " + e.id() + " follows entry " + e.parent() + ", which does not exist");
                    }
                }
            }
            case Change.Redact redact -> {
                Entry target = entries.get(redact.entry().value());
                if (target == null || target.kind() != EntryKind.MESSAGE) {
                    throw new IllegalArgumentException("redaction of entry " + redact.entry() + ", which is not a message here");
                }
            }
        }
        if (!change.info().id().equals(id)) {
            throw new IllegalArgumentException("the line holds session " + change.info().id() + ", not " + id);
        }
    }

    void markDeleted() {
        state.writeLock().lock();
        try {
            deleted = true;
        } finally {
            state.writeLock().unlock();
        }
    }

    /** Records a pending claim; claims live only in memory (see the store's documentation). */
    void claim(IdempotencyRecord record) {
        state.writeLock().lock();
        try {
            idempotency.put(record.key(), record);
        } finally {
            state.writeLock().unlock();
        }
    }

    void release(String key) {
        state.writeLock().lock();
        try {
            IdempotencyRecord existing = idempotency.get(key);
            if (existing != null && existing.pending()) {
                idempotency.remove(key);
            }
        } finally {
            state.writeLock().unlock();
        }
    }

    /** Forgets idempotency records older than their retention. */
    void dropIdempotencyBefore(Instant cutoff) {
        state.writeLock().lock();
        try {
            idempotency.values().removeIf(r -> r.at().isBefore(cutoff));
        } finally {
            state.writeLock().unlock();
        }
    }

    /** The write's view of this session: point lookups over the index, entry reads counted. */
    WriteContext context(AccessCounter access, Instant idempotencyCutoff) {
        return new WriteContext() {
            @Override
            public SessionSnapshot snapshot() {
                return new SessionSnapshot(info, branches);
            }

            @Override
            public Optional<Entry> entry(EntryId entryId) {
                access.read(1);
                return Optional.ofNullable(entries.get(entryId.value()));
            }

            @Override
            public Optional<Checkpoint> checkpoint(String name) {
                return Optional.ofNullable(checkpoints.get(name));
            }

            @Override
            public boolean hasCheckpointAt(EntryId entry) {
                return checkpointsAt.containsKey(entry.value());
            }

            @Override
            public Optional<IdempotencyRecord> idempotency(String key) {
                return Optional.ofNullable(idempotency.get(key)).filter(r -> !r.at().isBefore(idempotencyCutoff));
            }

            @Override
            public boolean vaultHasPlaceholder(String placeholder) {
                return vault.containsKey(placeholder);
            }

            @Override
            public boolean vaultHasLookup(String lookup) {
                return vaultLookups.contains(lookup);
            }
        };
    }

    Optional<IdempotencyRecord> idempotencyForWriter(String key, Instant cutoff) {
        return Optional.ofNullable(idempotency.get(key)).filter(r -> !r.at().isBefore(cutoff));
    }

    // ---- reads (any thread) -----------------------------------------------------------------------------

    /** Runs {@code reader} under the read lock if the session is live at {@code now}; otherwise not found. */
    <T> T read(Instant now, Supplier<T> reader) {
        state.readLock().lock();
        try {
            requireLive(now);
            return reader.get();
        } finally {
            state.readLock().unlock();
        }
    }

    /** The session row, if the session is live at {@code now}. */
    Optional<SessionInfo> liveInfo(Instant now) {
        state.readLock().lock();
        try {
            return isLive(now) ? Optional.of(info) : Optional.empty();
        } finally {
            state.readLock().unlock();
        }
    }

    Optional<SessionSnapshot> liveSnapshot(Instant now) {
        state.readLock().lock();
        try {
            return isLive(now) ? Optional.of(new SessionSnapshot(info, branches)) : Optional.empty();
        } finally {
            state.readLock().unlock();
        }
    }

    /** Adds this session's counters to {@code sum} if it is live. */
    void addCountersTo(Map<String, Long> sum, Instant now) {
        state.readLock().lock();
        try {
            if (isLive(now)) {
                counters.forEach((k, v) -> sum.merge(k, v, Long::sum));
            }
        } finally {
            state.readLock().unlock();
        }
    }

    // The methods below run inside read(…).

    SessionSnapshot snapshot() {
        return new SessionSnapshot(info, branches);
    }

    Entry entry(EntryId entryId) {
        return entries.get(entryId.value());
    }

    /** The last {@code limit} entries of the path ending at {@code head}, oldest first; counts each entry read. */
    List<Entry> path(EntryId head, int limit, AccessCounter access) {
        Entry current = entries.get(head.value());
        if (current == null) {
            throw new NotFoundException("no entry " + head + " in session " + id);
        }
        List<Entry> out = new ArrayList<>(Math.min(limit, current.depth()));
        while (current != null && out.size() < limit) {
            out.add(current);
            access.read(1);
            current = current.parent() == null ? null : entries.get(current.parent().value());
        }
        Collections.reverse(out);
        return out;
    }

    List<Entry> entriesAfter(long afterSeq, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.tailMap(afterSeq, false).values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    Optional<Checkpoint> checkpoint(String name) {
        return Optional.ofNullable(checkpoints.get(name));
    }

    List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints.values());
    }

    List<VaultRow> vault() {
        return List.copyOf(vault.values());
    }

    Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private void addCheckpoint(Checkpoint checkpoint) {
        Checkpoint previous = checkpoints.put(checkpoint.name(), checkpoint);
        if (previous != null) {
            unmark(previous);
        }
        checkpointsAt.merge(checkpoint.entry().value(), 1, Integer::sum);
    }

    private void removeCheckpoint(String name) {
        Checkpoint removed = checkpoints.remove(name);
        if (removed != null) {
            unmark(removed);
        }
    }

    private void unmark(Checkpoint checkpoint) {
        checkpointsAt.computeIfPresent(checkpoint.entry().value(), (k, n) -> n == 1 ? null : n - 1);
    }
}
