package dev.parley.store.sqlite;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.store.AccessCounter;
import dev.parley.store.BudgetKey;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.VaultRow;
import dev.parley.store.WritePlan;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statements that change a session's rows, on the writer connection inside its transaction.
 * Every change is an INSERT, an UPDATE of one row by key, or a DELETE by key: nothing here reads or
 * rewrites a session's history.
 */
final class SessionRows {
    private static final int COUNTERS_PER_STATEMENT = 16;
    /** The statement adding n counters at index n (a map's keys are distinct, so no row is named twice). */
    private static final String[] ADD_COUNTERS = new String[COUNTERS_PER_STATEMENT + 1];

    static {
        for (int n = 1; n <= COUNTERS_PER_STATEMENT; n++) {
            ADD_COUNTERS[n] = "INSERT INTO counters (session_pk, name, value) VALUES "
                    + String.join(", ", Collections.nCopies(n, "(?, ?, ?)"))
                    + " ON CONFLICT (session_pk, name) DO UPDATE SET value = value + excluded.value";
        }
    }

    private final Statements sql;
    private final AccessCounter access;

    SessionRows(Statements sql, AccessCounter access) {
        this.sql = sql;
        this.access = access;
    }

    /** Persists what the planner decided for one write to the session with row key {@code pk}. */
    void persist(long pk, SessionInfo before, WritePlan plan, PayloadTexts payloads) throws SQLException {
        insertEntries(pk, plan.entries(), payloads);
        updateSession(pk, before, plan.info());
        for (Branch branch : plan.branches().values()) {
            upsertBranch(pk, branch);
        }
        for (String name : plan.deletedBranches()) {
            PreparedStatement ps = sql.get("DELETE FROM branches WHERE session_pk = ? AND name = ?");
            ps.setLong(1, pk);
            ps.setString(2, name);
            ps.executeUpdate();
        }
        // Deletions first: a write may delete a checkpoint and add another of the same name.
        for (String name : plan.deletedCheckpoints()) {
            PreparedStatement ps = sql.get("DELETE FROM checkpoints WHERE session_pk = ? AND name = ?");
            ps.setLong(1, pk);
            ps.setString(2, name);
            ps.executeUpdate();
        }
        for (Checkpoint checkpoint : plan.checkpoints()) {
            insertCheckpoint(pk, checkpoint);
        }
        for (VaultRow row : plan.vaultRows()) {
            insertVaultRow(pk, row);
        }
        addCounters(pk, plan.counters());
        if (plan.idempotency() != null) {
            putIdempotency(pk, plan.idempotency());
        }
        access.wrote(plan.entries().size() + 1 + plan.branches().size() + plan.checkpoints().size()
                + plan.vaultRows().size() + plan.counters().size() + (plan.idempotency() == null ? 0 : 1));
    }

    /** Deletes a session row (its entries, branches, checkpoints, vault, idempotency and counters cascade) and its budget. */
    void removeSession(long pk, TenantId tenant, SessionId id) throws SQLException {
        PreparedStatement ps = sql.get("DELETE FROM sessions WHERE pk = ?");
        ps.setLong(1, pk);
        ps.executeUpdate();
        PreparedStatement budget = sql.get("DELETE FROM budgets WHERE tenant = ? AND level = ? AND id = ?");
        budget.setString(1, tenant.value());
        budget.setString(2, BudgetKey.Level.SESSION.name());
        budget.setString(3, id.value());
        budget.executeUpdate();
        access.wrote(1);
    }

    long insertSession(SessionInfo info) throws SQLException {
        PreparedStatement ps = sql.get("INSERT INTO sessions (tenant, id, user_id, created_at, updated_at, expires_at, "
                + "absolute_expires_at, idle_ttl_ms, metadata, settings, version, last_seq, current_branch, initial_head) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk");
        ps.setString(1, info.tenant().value());
        ps.setString(2, info.id().value());
        ps.setString(3, info.user().value());
        ps.setLong(4, info.createdAt().toEpochMilli());
        ps.setLong(5, info.updatedAt().toEpochMilli());
        Rows.bindInstant(ps, 6, info.expiresAt());
        Rows.bindInstant(ps, 7, info.absoluteExpiresAt());
        Rows.bindDuration(ps, 8, info.idleTtl());
        ps.setString(9, ParleyJson.stringMapText(info.metadata()));
        ps.setString(10, ParleyJson.stringMapText(info.settings()));
        ps.setLong(11, info.version());
        ps.setLong(12, info.lastSeq());
        ps.setString(13, info.currentBranch());
        Rows.bindId(ps, 14, info.initialHead());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void insertEntries(long pk, List<Entry> entries, PayloadTexts payloads) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        PreparedStatement ps = sql.get(Rows.INSERT_ENTRY);
        if (entries.size() == 1) {
            Rows.bindEntry(ps, pk, entries.getFirst(), payloads);
            ps.executeUpdate();
            return;
        }
        for (Entry entry : entries) {
            Rows.bindEntry(ps, pk, entry, payloads);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /** Updates the session row; the JSON columns only when they changed, which appends never do. */
    void updateSession(long pk, SessionInfo before, SessionInfo after) throws SQLException {
        boolean jsonChanged = !before.metadata().equals(after.metadata()) || !before.settings().equals(after.settings());
        PreparedStatement ps = sql.get(jsonChanged
                ? "UPDATE sessions SET updated_at = ?, expires_at = ?, absolute_expires_at = ?, idle_ttl_ms = ?, version = ?, "
                + "last_seq = ?, current_branch = ?, metadata = ?, settings = ? WHERE pk = ?"
                : "UPDATE sessions SET updated_at = ?, expires_at = ?, absolute_expires_at = ?, idle_ttl_ms = ?, version = ?, "
                + "last_seq = ?, current_branch = ? WHERE pk = ?");
        ps.setLong(1, after.updatedAt().toEpochMilli());
        Rows.bindInstant(ps, 2, after.expiresAt());
        Rows.bindInstant(ps, 3, after.absoluteExpiresAt());
        Rows.bindDuration(ps, 4, after.idleTtl());
        ps.setLong(5, after.version());
        ps.setLong(6, after.lastSeq());
        ps.setString(7, after.currentBranch());
        if (jsonChanged) {
            ps.setString(8, ParleyJson.stringMapText(after.metadata()));
            ps.setString(9, ParleyJson.stringMapText(after.settings()));
            ps.setLong(10, pk);
        } else {
            ps.setLong(8, pk);
        }
        ps.executeUpdate();
    }

    void upsertBranch(long pk, Branch branch) throws SQLException {
        PreparedStatement ps = sql.get("INSERT INTO branches (session_pk, name, head) VALUES (?, ?, ?) "
                + "ON CONFLICT (session_pk, name) DO UPDATE SET head = excluded.head");
        ps.setLong(1, pk);
        ps.setString(2, branch.name());
        Rows.bindId(ps, 3, branch.head());
        ps.executeUpdate();
    }

    void insertCheckpoint(long pk, Checkpoint checkpoint) throws SQLException {
        PreparedStatement ps = sql.get("INSERT INTO checkpoints (session_pk, name, entry, note, at) VALUES (?, ?, ?, ?, ?)");
        ps.setLong(1, pk);
        ps.setString(2, checkpoint.name());
        ps.setLong(3, checkpoint.entry().value());
        ps.setString(4, checkpoint.note());
        ps.setLong(5, checkpoint.at().toEpochMilli());
        ps.executeUpdate();
    }

    void insertVaultRow(long pk, VaultRow row) throws SQLException {
        PreparedStatement ps = sql.get("INSERT INTO vault (session_pk, placeholder, lookup, ciphertext) VALUES (?, ?, ?, ?)");
        ps.setLong(1, pk);
        ps.setString(2, row.placeholder());
        ps.setString(3, row.lookup());
        ps.setString(4, row.ciphertext());
        ps.executeUpdate();
    }

    /**
     * Adds to the session's counters, up to {@value #COUNTERS_PER_STATEMENT} in one statement: a chat turn adds about a
     * dozen, and one statement per counter made them most of the statements its write ran.
     */
    void addCounters(long pk, Map<String, Long> counters) throws SQLException {
        List<Map.Entry<String, Long>> pending = List.copyOf(counters.entrySet());
        for (int start = 0; start < pending.size(); start += COUNTERS_PER_STATEMENT) {
            List<Map.Entry<String, Long>> chunk = pending.subList(start, Math.min(pending.size(), start + COUNTERS_PER_STATEMENT));
            PreparedStatement ps = sql.get(ADD_COUNTERS[chunk.size()]);
            int index = 1;
            for (Map.Entry<String, Long> counter : chunk) {
                ps.setLong(index++, pk);
                ps.setString(index++, counter.getKey());
                ps.setLong(index++, counter.getValue());
            }
            ps.executeUpdate();
        }
    }

    void putIdempotency(long pk, IdempotencyRecord record) throws SQLException {
        PreparedStatement ps = sql.get("INSERT OR REPLACE INTO idempotency (session_pk, key, hash, entries, at, pending) "
                + "VALUES (?, ?, ?, ?, ?, ?)");
        ps.setLong(1, pk);
        ps.setString(2, record.key());
        ps.setString(3, record.requestHash());
        ps.setString(4, Rows.entryList(record.entries()));
        ps.setLong(5, record.at().toEpochMilli());
        ps.setInt(6, record.pending() ? 1 : 0);
        ps.executeUpdate();
    }

    static Optional<IdempotencyRecord> idempotency(Statements sql, long pk, String key) throws SQLException {
        PreparedStatement ps = sql.get("SELECT hash, entries, at, pending FROM idempotency WHERE session_pk = ? AND key = ?");
        ps.setLong(1, pk);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.idempotency(key, rs, 1)) : Optional.empty();
        }
    }
}
