package dev.parley.store.postgres;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionInfo;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteContext;
import dev.parley.store.WritePlan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One locked session as a batch of writes changes it: the row read under the lock, plus every plan
 * accepted so far in the batch, not yet written. Each request's planner sees this state, so requests
 * for one session in one batch are serialised exactly as if each had its own transaction; the batch
 * then writes the net result in one statement.
 */
final class SessionOverlay {
    final long pk;
    /** The row as read under the lock: the batch's UPDATE is conditional on its version. */
    final SessionInfo locked;
    private SessionInfo info;
    private final Map<String, Branch> branches;

    private final Map<Long, Entry> knownEntries = new HashMap<>();
    private final List<Entry> newEntries = new ArrayList<>();
    private final Map<String, Branch> touchedBranches = new LinkedHashMap<>();
    private final Set<String> deletedBranches = new HashSet<>();
    private final Map<String, Optional<Checkpoint>> storedCheckpoints = new HashMap<>();
    private final Map<String, Checkpoint> newCheckpoints = new LinkedHashMap<>();
    private final Set<String> deletedCheckpoints = new HashSet<>();
    private final Map<String, Optional<IdempotencyRecord>> storedIdempotency = new HashMap<>();
    private final Map<String, IdempotencyRecord> newIdempotency = new LinkedHashMap<>();
    private final List<VaultRow> newVault = new ArrayList<>();
    private final Set<String> newPlaceholders = new HashSet<>();
    private final Set<String> newLookups = new HashSet<>();
    private final Map<String, Long> counterDeltas = new TreeMap<>();
    private boolean changed;

    SessionOverlay(long pk, SessionInfo info, Map<String, Branch> branches) {
        this.pk = pk;
        this.locked = info;
        this.info = info;
        this.branches = new LinkedHashMap<>(branches);
    }

    void knowEntry(Entry entry) {
        knownEntries.put(entry.seq(), entry);
    }

    void knowIdempotency(String key, IdempotencyRecord record) {
        storedIdempotency.put(key, Optional.ofNullable(record));
    }

    SessionInfo info() {
        return info;
    }

    /** Takes an accepted plan into the overlay: later requests of the batch see it. */
    void apply(WritePlan plan) {
        changed = true;
        info = plan.info();
        for (Entry e : plan.entries()) {
            newEntries.add(e);
            knownEntries.put(e.seq(), e);
        }
        plan.branches().forEach((name, branch) -> {
            branches.put(name, branch);
            touchedBranches.put(name, branch);
            deletedBranches.remove(name);
        });
        for (String name : plan.deletedBranches()) {
            branches.remove(name);
            touchedBranches.remove(name);
            deletedBranches.add(name);
        }
        for (String name : plan.deletedCheckpoints()) {
            if (newCheckpoints.remove(name) == null) {
                deletedCheckpoints.add(name);
            }
        }
        plan.checkpoints().forEach(c -> newCheckpoints.put(c.name(), c));
        for (VaultRow row : plan.vaultRows()) {
            newVault.add(row);
            newPlaceholders.add(row.placeholder());
            newLookups.add(row.lookup());
        }
        plan.counters().forEach((name, delta) -> counterDeltas.merge(name, delta, Long::sum));
        if (plan.idempotency() != null) {
            newIdempotency.put(plan.idempotency().key(), plan.idempotency());
        }
    }

    boolean changed() {
        return changed;
    }

    List<Entry> newEntries() {
        return newEntries;
    }

    Map<String, Branch> touchedBranches() {
        return touchedBranches;
    }

    Set<String> deletedBranches() {
        return deletedBranches;
    }

    /** Checkpoints that existed before the batch and were deleted in it (deleted before the new ones are inserted). */
    Set<String> deletedCheckpoints() {
        return deletedCheckpoints;
    }

    Map<String, Checkpoint> newCheckpoints() {
        return newCheckpoints;
    }

    List<VaultRow> newVault() {
        return newVault;
    }

    Map<String, Long> counterDeltas() {
        return counterDeltas;
    }

    Map<String, IdempotencyRecord> newIdempotency() {
        return newIdempotency;
    }

    /** The planner's view: the overlay first, then point lookups on the batch's connection (cached). */
    WriteContext context(Connection c, Db db) {
        return new WriteContext() {
            @Override
            public SessionSnapshot snapshot() {
                return new SessionSnapshot(info, branches);
            }

            @Override
            public Optional<Entry> entry(EntryId id) {
                Entry known = knownEntries.get(id.value());
                if (known != null) {
                    return Optional.of(known);
                }
                Optional<Entry> found = lookup(c, db, "SELECT " + Rows.ENTRY_COLUMNS
                        + " FROM $S.entries e WHERE e.session_pk = ? AND e.seq = ?", id.value(), Rows::entry);
                found.ifPresent(SessionOverlay.this::knowEntry);
                return found;
            }

            @Override
            public Optional<Checkpoint> checkpoint(String name) {
                Checkpoint added = newCheckpoints.get(name);
                if (added != null) {
                    return Optional.of(added);
                }
                if (deletedCheckpoints.contains(name)) {
                    return Optional.empty();
                }
                return storedCheckpoints.computeIfAbsent(name, n -> lookup(c, db,
                        "SELECT name, entry, note, at FROM $S.checkpoints WHERE session_pk = ? AND name = ?", n, Rows::checkpoint));
            }

            @Override
            public boolean hasCheckpointAt(EntryId entry) {
                if (newCheckpoints.values().stream().anyMatch(cp -> cp.entry().equals(entry))) {
                    return true;
                }
                try (PreparedStatement ps = c.prepareStatement(db.sql(
                        "SELECT 1 FROM $S.checkpoints WHERE session_pk = ? AND entry = ? AND NOT (name = ANY (?)) LIMIT 1"))) {
                    ps.setLong(1, pk);
                    ps.setLong(2, entry.value());
                    ps.setArray(3, Rows.texts(c, deletedCheckpoints));
                    try (ResultSet rs = ps.executeQuery()) {
                        boolean found = rs.next();
                        db.access().read(found ? 1 : 0);
                        return found;
                    }
                } catch (SQLException e) {
                    throw new SqlFailure(e);
                }
            }

            @Override
            public Optional<IdempotencyRecord> idempotency(String key) {
                IdempotencyRecord added = newIdempotency.get(key);
                if (added != null) {
                    return Optional.of(added);
                }
                return storedIdempotency.computeIfAbsent(key, k -> lookup(c, db,
                        "SELECT key, request_hash, entries, at, pending FROM $S.idempotency WHERE session_pk = ? AND key = ?",
                        k, Rows::idempotency));
            }

            @Override
            public boolean vaultHasPlaceholder(String placeholder) {
                return newPlaceholders.contains(placeholder) || lookup(c, db,
                        "SELECT 1 FROM $S.vault WHERE session_pk = ? AND placeholder = ?", placeholder, rs -> true).isPresent();
            }

            @Override
            public boolean vaultHasLookup(String lookup) {
                return newLookups.contains(lookup) || lookup(c, db,
                        "SELECT 1 FROM $S.vault WHERE session_pk = ? AND lookup = ?", lookup, rs -> true).isPresent();
            }
        };
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** One row by this session's pk and one more key, or empty. */
    private <T> Optional<T> lookup(Connection c, Db db, String template, Object key, RowMapper<T> mapper) {
        try (PreparedStatement ps = c.prepareStatement(db.sql(template))) {
            ps.setLong(1, pk);
            ps.setObject(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                db.access().read(1);
                return Optional.of(mapper.map(rs));
            }
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }
}
