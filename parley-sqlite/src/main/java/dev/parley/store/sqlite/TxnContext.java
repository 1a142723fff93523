package dev.parley.store.sqlite;

import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.store.AccessCounter;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WriteContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The planner's view of one session inside the writer's open transaction: point lookups by primary
 * key or unique index, answered from the writer's memory where it has them.
 */
final class TxnContext implements WriteContext {
    private final Statements sql;
    private final SessionState state;
    private final AccessCounter access;

    TxnContext(Statements sql, SessionState state, AccessCounter access) {
        this.sql = sql;
        this.state = state;
        this.access = access;
    }

    /** Lets the planner, which cannot throw checked exceptions, report a database failure to the writer. */
    static final class Failure extends RuntimeException {
        Failure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @Override
    public SessionSnapshot snapshot() {
        return state.snapshot();
    }

    @Override
    public Optional<Entry> entry(EntryId id) {
        Entry known = state.heads().get(id);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            return entry(sql, state.pk(), id, access);
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** One entry by primary key. */
    static Optional<Entry> entry(Statements sql, long pk, EntryId id, AccessCounter access) throws SQLException {
        PreparedStatement ps = sql.get("SELECT " + Rows.ENTRY_COLUMNS + " FROM entries e WHERE e.session_pk = ? AND e.seq = ?");
        ps.setLong(1, pk);
        ps.setLong(2, id.value());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            access.read(1);
            return Optional.of(Rows.entry(rs, 1));
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint(String name) {
        try {
            PreparedStatement ps = sql.get("SELECT " + Rows.CHECKPOINT_COLUMNS + " FROM checkpoints c WHERE c.session_pk = ? AND c.name = ?");
            ps.setLong(1, state.pk());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                access.read(1);
                return Optional.of(Rows.checkpoint(rs, 1));
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    @Override
    public boolean hasCheckpointAt(EntryId entry) {
        return exists("SELECT 1 FROM checkpoints WHERE session_pk = ? AND entry = ? LIMIT 1", entry.value());
    }

    @Override
    public Optional<IdempotencyRecord> idempotency(String key) {
        try {
            return SessionRows.idempotency(sql, state.pk(), key);
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    @Override
    public boolean vaultHasPlaceholder(String placeholder) {
        return exists("SELECT 1 FROM vault WHERE session_pk = ? AND placeholder = ?", placeholder);
    }

    @Override
    public boolean vaultHasLookup(String lookup) {
        return exists("SELECT 1 FROM vault WHERE session_pk = ? AND lookup = ?", lookup);
    }

    private boolean exists(String query, Object value) {
        try {
            PreparedStatement ps = sql.get(query);
            ps.setLong(1, state.pk());
            ps.setObject(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }
}
