package dev.parley.store.redis;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionInfo;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.Target;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteContext;
import dev.parley.store.WritePlan;
import dev.parley.store.WriteRequest;
import io.lettuce.core.ScriptOutputType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The session as one attempt of a write sees it: read in one script ({@code plan.lua}: the row, the
 * branches, the entry the write appends to, its idempotency record and its vault rows), or taken from
 * what this process wrote last ({@link Known}), with any other point lookup the planner makes fetched
 * on demand. Lookups made after the row was read are safe because the write lands only if the session
 * is still at the version of that row.
 */
final class Planning implements WriteContext {
    /**
     * A session as this process's own last write left it. It is only a guess (another process may have
     * written since), which the write script's version check confirms or refutes.
     */
    record Known(String uid, SessionSnapshot snapshot, Entry head) {
    }

    private final Backend backend;
    private final SessionKeys keys;
    private final SessionSnapshot snapshot;
    private final String uid;
    private final Map<EntryId, Optional<Entry>> entries = new HashMap<>();
    private final Map<String, Optional<Checkpoint>> checkpoints = new HashMap<>();
    private final Map<String, Optional<String>> idempotency = new HashMap<>();
    private final Map<String, Boolean> placeholders = new HashMap<>();
    private final Map<String, Boolean> lookups = new HashMap<>();

    private Planning(Backend backend, SessionKeys keys, SessionSnapshot snapshot, String uid) {
        this.backend = backend;
        this.keys = keys;
        this.snapshot = snapshot;
        this.uid = uid;
    }

    /**
     * Reads what {@code request} will need, or returns empty when the session does not exist or has expired.
     * Without a request, {@code entry} is read with the row (for a redaction).
     */
    static Optional<Planning> read(Backend backend, SessionKeys keys, WriteRequest request, EntryId entry) {
        String branch = "";
        String seq = entry == null ? "" : Long.toString(entry.value());
        if (request != null && request.appendAt() instanceof Target.Head head) {
            branch = head.branch();
        } else if (request != null && request.appendAt() instanceof Target.At at) {
            seq = Long.toString(at.entry().value());
        }
        String idemKey = request == null || request.idempotency() == null ? "" : request.idempotency().key();
        List<VaultRow> rows = request == null ? List.of() : request.vaultRows();
        List<String> args = new ArrayList<>(List.of(branch, seq, idemKey, Integer.toString(rows.size())));
        rows.forEach(r -> args.add(r.placeholder()));
        args.add(Integer.toString(rows.size()));
        rows.forEach(r -> args.add(r.lookup()));

        List<Object> reply = backend.redis().run(Script.PLAN, ScriptOutputType.MULTI, "read session for a write",
                new String[]{keys.info(), keys.branches(), keys.entries(), keys.idempotency(), keys.vault(), keys.vaultLookups()},
                args.toArray(String[]::new));
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> row = Codec.pairs(reply.get(0));
        SessionInfo info = Codec.info(row);
        if (info.isExpiredAt(backend.now())) {
            return Optional.empty();
        }
        Planning planning = new Planning(backend, keys, new SessionSnapshot(info, Codec.branches(Codec.pairs(reply.get(1)))),
                row.get(Codec.UID));
        String parentSeq = (String) reply.get(2);
        String parentJson = (String) reply.get(3);
        if (parentJson != null) {
            planning.entries.put(EntryId.of(Long.parseLong(parentSeq)), Optional.of(Codec.entry(parentJson)));
        }
        if (!idemKey.isEmpty()) {
            planning.idempotency.put(idemKey, Optional.ofNullable((String) reply.get(4)));
        }
        List<?> placeholderFlags = (List<?>) reply.get(5);
        List<?> lookupFlags = (List<?>) reply.get(6);
        for (int i = 0; i < rows.size(); i++) {
            planning.placeholders.put(rows.get(i).placeholder(), ((Long) placeholderFlags.get(i)) == 1L);
            planning.lookups.put(rows.get(i).lookup(), ((Long) lookupFlags.get(i)) == 1L);
        }
        return Optional.of(planning);
    }

    /** Plans against what this process wrote last, without reading the row again. */
    static Planning of(Backend backend, SessionKeys keys, Known known) {
        Planning planning = new Planning(backend, keys, known.snapshot(), known.uid());
        if (known.head() != null) {
            planning.entries.put(known.head().id(), Optional.of(known.head()));
        }
        return planning;
    }

    /** The session as it is once {@code plan}, made over this view, has landed. */
    Known after(WritePlan plan) {
        Map<String, Branch> branches = new LinkedHashMap<>(snapshot.branches());
        branches.putAll(plan.branches());
        plan.deletedBranches().forEach(branches::remove);
        Entry head = plan.entries().isEmpty() ? null : plan.entries().getLast();
        return new Known(uid, new SessionSnapshot(plan.info(), branches), head);
    }

    String uid() {
        return uid;
    }

    /** The raw idempotency record {@code key} held when read (null: none), which the write script re-checks. */
    String idempotencyRaw(String key) {
        return idempotency.computeIfAbsent(key, k -> Optional.ofNullable(
                backend.redis().call("read idempotency record", r -> r.hget(keys.idempotency(), k)))).orElse(null);
    }

    /** The stored checkpoint named {@code name}, as the planner saw it (looked up if it did not). */
    Optional<Checkpoint> stored(String name) {
        return checkpoint(name);
    }

    /** An entry read with the row, or looked up now; not counted as a read of the planner. */
    Optional<Entry> loaded(EntryId id) {
        return entries.computeIfAbsent(id, seq -> Optional.ofNullable(backend.redis().call("read entry " + seq,
                r -> r.hget(keys.entries(), Long.toString(seq.value())))).map(Codec::entry));
    }

    @Override
    public SessionSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public Optional<Entry> entry(EntryId id) {
        backend.access().read(1);
        return loaded(id);
    }

    @Override
    public Optional<Checkpoint> checkpoint(String name) {
        return checkpoints.computeIfAbsent(name, n -> Optional.ofNullable(
                backend.redis().call("read checkpoint " + n, r -> r.hget(keys.checkpoints(), n))).map(Codec::checkpoint));
    }

    @Override
    public boolean hasCheckpointAt(EntryId entry) {
        return backend.redis().call("read checkpoint marks", r -> r.hexists(keys.checkpointMarks(), Long.toString(entry.value())));
    }

    @Override
    public Optional<IdempotencyRecord> idempotency(String key) {
        Instant now = backend.now();
        return Optional.ofNullable(idempotencyRaw(key)).map(Codec::idempotency)
                .filter(record -> !record.at().plus(IdempotencyRecord.RETENTION).isBefore(now));
    }

    @Override
    public boolean vaultHasPlaceholder(String placeholder) {
        return placeholders.computeIfAbsent(placeholder,
                p -> backend.redis().call("read vault", r -> r.hexists(keys.vault(), p)));
    }

    @Override
    public boolean vaultHasLookup(String lookup) {
        return lookups.computeIfAbsent(lookup, l -> backend.redis().call("read vault", r -> r.hexists(keys.vaultLookups(), l)));
    }
}
