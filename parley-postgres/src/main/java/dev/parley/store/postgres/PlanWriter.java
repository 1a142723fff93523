package dev.parley.store.postgres;

import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionInfo;
import dev.parley.json.ParleyJson;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.VaultRow;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes what a batch's plans add up to in one statement: each table's rows bound as arrays,
 * expanded by {@code unnest}, and written by one data-modifying {@code WITH} part per table, so a
 * batch of a hundred appends costs one round trip, as one append does; the COMMIT travels in the same
 * message. Deletions of branches and
 * checkpoints run first, on their own, because parts of one statement run in no set order. Unique
 * constraints still judge every row: a duplicate fails the statement and so the batch.
 */
final class PlanWriter {
    private final Db db;

    PlanWriter(Db db) {
        this.db = db;
    }

    /** One data-modifying statement over arrays, and how many rows it writes. */
    private record Part(String sql, Array[] arrays, int rows) {
    }

    /**
     * Writes what {@code overlays} changed and commits the transaction in the same round trip; returns
     * false, having sent nothing, when nothing changed. A failure the database reports before COMMIT
     * ran (the transaction is left open and aborted) is thrown as it is: nothing was applied. Any other
     * failure is a {@link CommitUncertain}: the transaction may have committed.
     */
    boolean persistAndCommit(Connection c, Collection<SessionOverlay> overlays) throws SQLException {
        List<SessionOverlay> changed = overlays.stream().filter(SessionOverlay::changed).toList();
        if (changed.isEmpty()) {
            return false;
        }
        run(c, deletedCheckpoints(c, changed));
        run(c, deletedBranches(c, changed));

        List<Long> entryPks = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<Long> checkpointPks = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<Long> vaultPks = new ArrayList<>();
        List<VaultRow> vault = new ArrayList<>();
        Columns counters = new Columns(3);
        for (SessionOverlay o : changed) {
            o.newEntries().forEach(e -> {
                entryPks.add(o.pk);
                entries.add(e);
            });
            o.newCheckpoints().values().forEach(cp -> {
                checkpointPks.add(o.pk);
                checkpoints.add(cp);
            });
            o.newVault().forEach(row -> {
                vaultPks.add(o.pk);
                vault.add(row);
            });
            o.counterDeltas().forEach((name, delta) -> counters.add(o.pk, name, delta));
        }
        List<Part> parts = new ArrayList<>();
        parts.add(sessions(c, changed));
        for (Part part : List.of(entries(c, entryPks, entries), upsertedBranches(c, changed),
                checkpoints(c, checkpointPks, checkpoints), vault(c, vaultPks, vault), counters(c, counters),
                idempotency(c, changed))) {
            if (part.rows() > 0) {
                parts.add(part);
            }
        }
        StringBuilder sql = new StringBuilder("WITH ");
        List<Array> arrays = new ArrayList<>();
        int written = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            sql.append(i == 0 ? "s" : ", p" + i).append(" AS (").append(part.sql()).append(i == 0 ? " RETURNING 1)" : ")");
            arrays.addAll(List.of(part.arrays()));
            written += part.rows();
        }
        // A session row that changed under its lock would mean the lock did not hold: expect_rows then fails
        // the statement with a serialization failure, before COMMIT, and the transaction is run again.
        sql.append(" SELECT $S.expect_rows(?, count(*)) FROM s; COMMIT");
        try (PreparedStatement ps = c.prepareStatement(db.sql(sql.toString()))) {
            for (int i = 0; i < arrays.size(); i++) {
                ps.setArray(i + 1, arrays.get(i));
            }
            ps.setLong(arrays.size() + 1, changed.size());
            ps.execute();
        } catch (SQLException e) {
            if (abortedBeforeCommit(c)) {
                throw e;
            }
            throw new CommitUncertain(e);
        }
        db.access().wrote(written);
        return true;
    }

    /** Whether the connection reports its transaction open and aborted, which it is only if COMMIT did not run. */
    private static boolean abortedBeforeCommit(Connection c) {
        try {
            return c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Inserts entries of any number of sessions (for create and import). */
    void insertEntries(Connection c, List<Long> pks, List<Entry> entries) throws SQLException {
        run(c, entries(c, pks, entries));
    }

    /** Inserts checkpoints in list order, which {@code ord} keeps as their listing order. */
    void insertCheckpoints(Connection c, List<Long> pks, List<Checkpoint> checkpoints) throws SQLException {
        run(c, checkpoints(c, pks, checkpoints));
    }

    /** Inserts vault rows in list order; the unique constraints refuse a placeholder or lookup issued twice. */
    void insertVault(Connection c, List<Long> pks, List<VaultRow> rows) throws SQLException {
        run(c, vault(c, pks, rows));
    }

    /** Adds to counters atomically in the database: concurrent adders never lose an increment. */
    void addCounters(Connection c, Columns pkNameDelta) throws SQLException {
        run(c, counters(c, pkNameDelta));
    }

    private Part entries(Connection c, List<Long> pks, List<Entry> entries) throws SQLException {
        Columns v = new Columns(11);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            v.add(pks.get(i), e.seq(), Rows.value(e.parent()), e.depth(), e.messageCount(), Rows.text(e.at()), e.kind().name(),
                    ParleyJson.payloadText(e.payload()), Rows.value(e.stateRef()), Rows.value(e.summaryRef()), Rows.value(e.pinsRef()));
        }
        return new Part("INSERT INTO $S.entries (session_pk, seq, parent, depth, message_count, at, kind, payload, state_ref,"
                + " summary_ref, pins_ref) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::integer[],"
                + " ?::integer[], ?::timestamptz[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])",
                v.arrays(c, "bigint", "bigint", "bigint", "integer", "integer", "text", "text", "text", "bigint", "bigint", "bigint"),
                v.size());
    }

    /**
     * Replaces each session row by its state after the batch, conditional on the version read under the
     * lock; a row that changed anyway means the lock did not hold, and the transaction is run again.
     */
    private Part sessions(Connection c, List<SessionOverlay> changed) throws SQLException {
        Columns v = new Columns(11);
        for (SessionOverlay o : changed) {
            SessionInfo info = o.info();
            SessionInfo before = o.locked;
            v.add(o.pk, before.version(), Rows.text(info.updatedAt()), Rows.text(info.expiresAt()),
                    Rows.text(info.absoluteExpiresAt()), Rows.millis(info.idleTtl()),
                    info.metadata().equals(before.metadata()) ? null : ParleyJson.stringMapText(info.metadata()),
                    info.settings().equals(before.settings()) ? null : ParleyJson.stringMapText(info.settings()),
                    info.version(), info.lastSeq(), info.currentBranch());
        }
        return new Part("UPDATE $S.sessions t SET updated_at = v.updated_at, expires_at = v.expires_at,"
                + " absolute_expires_at = v.absolute_expires_at, idle_ttl_ms = v.idle_ttl_ms,"
                + " metadata = coalesce(v.metadata::jsonb, t.metadata), settings = coalesce(v.settings::jsonb, t.settings),"
                + " version = v.version, last_seq = v.last_seq, current_branch = v.current_branch"
                + " FROM unnest(?::bigint[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::bigint[],"
                + " ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[]) AS v(pk, expected, updated_at, expires_at,"
                + " absolute_expires_at, idle_ttl_ms, metadata, settings, version, last_seq, current_branch)"
                + " WHERE t.pk = v.pk AND t.version = v.expected",
                v.arrays(c, "bigint", "bigint", "text", "text", "text", "bigint", "text", "text", "bigint", "bigint", "text"),
                v.size());
    }

    private Part deletedBranches(Connection c, List<SessionOverlay> changed) throws SQLException {
        Columns v = new Columns(2);
        changed.forEach(o -> o.deletedBranches().forEach(name -> v.add(o.pk, name)));
        return new Part("DELETE FROM $S.branches b USING unnest(?::bigint[], ?::text[]) AS d(pk, name)"
                + " WHERE b.session_pk = d.pk AND b.name = d.name", v.arrays(c, "bigint", "text"), v.size());
    }

    private Part upsertedBranches(Connection c, List<SessionOverlay> changed) throws SQLException {
        Columns v = new Columns(3);
        changed.forEach(o -> o.touchedBranches().forEach((name, b) -> v.add(o.pk, name, Rows.value(b.head()))));
        return new Part("INSERT INTO $S.branches (session_pk, name, head) SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[])"
                + " ON CONFLICT (session_pk, name) DO UPDATE SET head = excluded.head", v.arrays(c, "bigint", "text", "bigint"),
                v.size());
    }

    private Part deletedCheckpoints(Connection c, List<SessionOverlay> changed) throws SQLException {
        Columns v = new Columns(2);
        changed.forEach(o -> o.deletedCheckpoints().forEach(name -> v.add(o.pk, name)));
        return new Part("DELETE FROM $S.checkpoints k USING unnest(?::bigint[], ?::text[]) AS d(pk, name)"
                + " WHERE k.session_pk = d.pk AND k.name = d.name", v.arrays(c, "bigint", "text"), v.size());
    }

    private Part checkpoints(Connection c, List<Long> pks, List<Checkpoint> checkpoints) throws SQLException {
        Columns v = new Columns(5);
        for (int i = 0; i < checkpoints.size(); i++) {
            Checkpoint cp = checkpoints.get(i);
            v.add(pks.get(i), cp.name(), cp.entry().value(), cp.note(), Rows.text(cp.at()));
        }
        return new Part("INSERT INTO $S.checkpoints (session_pk, name, entry, note, at) SELECT pk, name, entry, note, at"
                + " FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::timestamptz[]) WITH ORDINALITY"
                + " AS v(pk, name, entry, note, at, n) ORDER BY n", v.arrays(c, "bigint", "text", "bigint", "text", "text"), v.size());
    }

    private Part vault(Connection c, List<Long> pks, List<VaultRow> rows) throws SQLException {
        Columns v = new Columns(4);
        for (int i = 0; i < rows.size(); i++) {
            VaultRow row = rows.get(i);
            v.add(pks.get(i), row.placeholder(), row.lookup(), row.ciphertext());
        }
        return new Part("INSERT INTO $S.vault (session_pk, placeholder, lookup, ciphertext) SELECT pk, placeholder, lookup,"
                + " ciphertext FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS v(pk, placeholder,"
                + " lookup, ciphertext, n) ORDER BY n", v.arrays(c, "bigint", "text", "text", "text"), v.size());
    }

    private Part counters(Connection c, Columns pkNameDelta) throws SQLException {
        return new Part("INSERT INTO $S.counters AS t (session_pk, name, value) SELECT * FROM unnest(?::bigint[], ?::text[],"
                + " ?::bigint[]) ON CONFLICT (session_pk, name) DO UPDATE SET value = t.value + excluded.value",
                pkNameDelta.arrays(c, "bigint", "text", "bigint"), pkNameDelta.size());
    }

    /** Completed idempotency records, replacing the pending claim a slow request made first. */
    private Part idempotency(Connection c, List<SessionOverlay> changed) throws SQLException {
        Columns v = new Columns(5);
        for (SessionOverlay o : changed) {
            for (IdempotencyRecord r : o.newIdempotency().values()) {
                v.add(o.pk, r.key(), r.requestHash(), Rows.entryList(r), Rows.text(r.at()));
            }
        }
        return new Part("INSERT INTO $S.idempotency AS t (session_pk, key, request_hash, entries, at, pending)"
                + " SELECT v.pk, v.key, v.hash, string_to_array(v.entries, ',')::bigint[], v.at, false"
                + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) AS v(pk, key, hash, entries, at)"
                + " ON CONFLICT (session_pk, key) DO UPDATE SET request_hash = excluded.request_hash,"
                + " entries = excluded.entries, at = excluded.at, pending = false WHERE t.pending",
                v.arrays(c, "bigint", "text", "text", "text", "text"), v.size());
    }

    /** Runs one part as a statement of its own, if it has rows. */
    private void run(Connection c, Part part) throws SQLException {
        if (part.rows() == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(db.sql(part.sql()))) {
            for (int i = 0; i < part.arrays().length; i++) {
                ps.setArray(i + 1, part.arrays()[i]);
            }
            db.access().wrote(ps.executeUpdate());
        }
    }

    /** Column-wise values of a set of rows, turned into one SQL array per column. */
    static final class Columns {
        private final List<List<Object>> columns = new ArrayList<>();

        Columns(int width) {
            for (int i = 0; i < width; i++) {
                columns.add(new ArrayList<>());
            }
        }

        void add(Object... row) {
            for (int i = 0; i < row.length; i++) {
                columns.get(i).add(row[i]);
            }
        }

        int size() {
            return columns.getFirst().size();
        }

        Array[] arrays(Connection c, String... types) throws SQLException {
            Array[] out = new Array[types.length];
            for (int i = 0; i < types.length; i++) {
                List<Object> column = columns.get(i);
                out[i] = switch (types[i]) {
                    case "bigint" -> c.createArrayOf("bigint", column.stream().map(o -> o == null ? null : ((Number) o).longValue())
                            .toArray(Long[]::new));
                    case "integer" -> c.createArrayOf("integer", column.stream().map(o -> o == null ? null : ((Number) o).intValue())
                            .toArray(Integer[]::new));
                    default -> c.createArrayOf("text", column.stream().map(o -> (String) o).toArray(String[]::new));
                };
            }
            return out;
        }
    }
}
