package dev.parley.store.postgres;

import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.NewSession;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Sessions coming and going (create, import, delete, erase a user, the TTL sweep), and redaction in place. */
final class SessionLifecycle {
    /** Entries per INSERT when importing, so a long session never becomes one huge statement. */
    private static final int IMPORT_CHUNK = 1000;
    /** Idempotency records the sweep deletes per expired session it may delete: bounded, yet ahead of the inflow. */
    private static final int IDEMPOTENCY_PER_SESSION = 10;
    /**
     * Deletes the sessions matching {@code %s} (their rows in other tables cascade) and their session
     * budgets, which are keyed by id rather than linked, and returns each deleted session's expiry.
     */
    private static final String DELETE_SESSIONS = "WITH gone AS (DELETE FROM $S.sessions WHERE %s RETURNING tenant, id, expires_at),"
            + " budgets AS (DELETE FROM $S.budgets b USING gone WHERE b.tenant = gone.tenant AND b.level = 'SESSION'"
            + " AND b.id = gone.id) SELECT expires_at FROM gone";

    private final Db db;
    private final PlanWriter writer;

    SessionLifecycle(Db db) {
        this.db = db;
        this.writer = new PlanWriter(db);
    }

    SessionSnapshot create(NewSession spec) {
        WritePlan plan = WritePlanner.planCreate(spec);
        return db.tx("create session " + spec.id(), c -> {
            long pk = insertSession(c, plan.info());
            writer.insertEntries(c, Collections.nCopies(plan.entries().size(), pk), plan.entries());
            insertBranches(c, pk, plan.branches().values());
            return new SessionSnapshot(plan.info(), plan.branches());
        });
    }

    void importSession(SessionImage image) {
        SessionInfo info = image.info();
        db.tx("import session " + info.id(), c -> {
            long pk = insertSession(c, info);
            List<Entry> entries = image.entries();
            for (int from = 0; from < entries.size(); from += IMPORT_CHUNK) {
                List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + IMPORT_CHUNK));
                writer.insertEntries(c, Collections.nCopies(chunk.size(), pk), chunk);
            }
            insertBranches(c, pk, image.branches());
            writer.insertCheckpoints(c, Collections.nCopies(image.checkpoints().size(), pk), image.checkpoints());
            writer.insertVault(c, Collections.nCopies(image.vault().size(), pk), image.vault());
            PlanWriter.Columns counters = new PlanWriter.Columns(3);
            image.counters().forEach((name, value) -> counters.add(pk, name, value));
            writer.addCounters(c, counters);
            return null;
        });
    }

    /**
     * Inserts the session row; an expired row with the same id is deleted first (its id is free at
     * once), a live one makes the insert do nothing and the caller gets a conflict.
     */
    private long insertSession(Connection c, SessionInfo info) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql(
                DELETE_SESSIONS.formatted("tenant = ? AND id = ? AND expires_at <= ?")))) {
            ps.setString(1, info.tenant().value());
            ps.setString(2, info.id().value());
            Rows.setInstant(ps, 3, db.now());
            countLive(ps);
        }
        try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO $S.sessions (tenant, id, user_id, created_at,"
                + " updated_at, expires_at, absolute_expires_at, idle_ttl_ms, metadata, settings, version, last_seq,"
                + " current_branch, initial_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, id) DO NOTHING RETURNING pk"))) {
            ps.setString(1, info.tenant().value());
            ps.setString(2, info.id().value());
            ps.setString(3, info.user().value());
            Rows.setInstant(ps, 4, info.createdAt());
            Rows.setInstant(ps, 5, info.updatedAt());
            Rows.setInstant(ps, 6, info.expiresAt());
            Rows.setInstant(ps, 7, info.absoluteExpiresAt());
            Rows.setLong(ps, 8, Rows.millis(info.idleTtl()));
            ps.setString(9, ParleyJson.stringMapText(info.metadata()));
            ps.setString(10, ParleyJson.stringMapText(info.settings()));
            ps.setLong(11, info.version());
            ps.setLong(12, info.lastSeq());
            ps.setString(13, info.currentBranch());
            Rows.setLong(ps, 14, Rows.value(info.initialHead()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + info.id() + " already exists");
                }
                db.access().wrote(1);
                return rs.getLong(1);
            }
        }
    }

    private void insertBranches(Connection c, long pk, Collection<Branch> branches) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql(
                "INSERT INTO $S.branches (session_pk, name, head) SELECT ?, * FROM unnest(?::text[], ?::bigint[])"))) {
            List<String> names = new ArrayList<>();
            List<Long> heads = new ArrayList<>();
            branches.forEach(b -> {
                names.add(b.name());
                heads.add(Rows.value(b.head()));
            });
            ps.setLong(1, pk);
            ps.setArray(2, Rows.texts(c, names));
            ps.setArray(3, Rows.bigints(c, heads));
            db.access().wrote(ps.executeUpdate());
        }
    }

    boolean delete(TenantId tenant, SessionId id) {
        return db.autocommit("delete session " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql(DELETE_SESSIONS.formatted("tenant = ? AND id = ?")))) {
                ps.setString(1, tenant.value());
                ps.setString(2, id.value());
                return countLive(ps) > 0;
            }
        });
    }

    int deleteUser(TenantId tenant, UserId user) {
        return db.tx("erase user " + user, c -> {
            int deleted;
            try (PreparedStatement ps = c.prepareStatement(db.sql(DELETE_SESSIONS.formatted("tenant = ? AND user_id = ?")))) {
                ps.setString(1, tenant.value());
                ps.setString(2, user.value());
                deleted = countLive(ps);
            }
            for (String template : List.of(
                    "DELETE FROM $S.scoped_state WHERE tenant = ? AND scope = '" + ScopedStates.USER_SCOPE + "' AND user_id = ?",
                    "DELETE FROM $S.budgets WHERE tenant = ? AND level = 'USER' AND id = ?",
                    "DELETE FROM $S.user_keys WHERE tenant = ? AND user_id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(db.sql(template))) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, user.value());
                    db.access().wrote(ps.executeUpdate());
                }
            }
            return deleted;
        });
    }

    /** Runs a DELETE … RETURNING expires_at and counts the rows that had not expired (those the caller could see). */
    private int countLive(PreparedStatement ps) throws SQLException {
        Instant now = db.now();
        int live = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                db.access().wrote(1);
                Instant expires = Rows.instant(rs, "expires_at");
                if (expires == null || expires.isAfter(now)) {
                    live++;
                }
            }
        }
        return live;
    }

    /**
     * Deletes at most {@code limit} expired sessions (the longest expired first, skipping any a writer
     * holds) and a bounded batch of idempotency records older than their retention.
     */
    int sweepExpired(int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "sweep limit must be >= 0: " + limit);
        }
        Instant now = db.now();
        return db.autocommit("sweep expired sessions", c -> {
            int sessions = 0;
            try (PreparedStatement ps = c.prepareStatement(db.sql(DELETE_SESSIONS.formatted("pk IN (SELECT pk FROM $S.sessions"
                    + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)")))) {
                Rows.setInstant(ps, 1, now);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sessions++;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(db.sql("DELETE FROM $S.idempotency WHERE (session_pk, key) IN"
                    + " (SELECT session_pk, key FROM $S.idempotency WHERE at < ? ORDER BY at LIMIT ? FOR UPDATE SKIP LOCKED)"))) {
                Rows.setInstant(ps, 1, now.minus(IdempotencyRecord.RETENTION));
                ps.setLong(2, (long) Math.max(limit, 1) * IDEMPOTENCY_PER_SESSION);
                db.access().wrote(ps.executeUpdate());
            }
            db.access().wrote(sessions);
            return sessions;
        });
    }

    Entry redact(TenantId tenant, SessionId id, EntryId entryId, Payload.Redacted tombstone, Instant at) {
        return db.tx("redact entry " + entryId + " of session " + id, c -> {
            long pk;
            SessionInfo info;
            try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT " + Rows.SESSION_COLUMNS + " FROM $S.sessions s"
                    + " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE + " FOR NO KEY UPDATE"))) {
                bindSession(ps, tenant, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("no session " + id);
                    }
                    pk = rs.getLong("pk");
                    info = Rows.session(rs);
                }
            }
            Entry entry;
            try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT " + Rows.ENTRY_COLUMNS
                    + " FROM $S.entries e WHERE e.session_pk = ? AND e.seq = ?"))) {
                ps.setLong(1, pk);
                ps.setLong(2, entryId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("no entry " + entryId + " in session " + id);
                    }
                    entry = Rows.entry(rs);
                }
            }
            if (entry.kind() != EntryKind.MESSAGE) {
                throw new InvalidInputException("entry id", "entry " + entryId + " is a " + entry.kind()
                        + " entry; only messages can be redacted");
            }
            Entry redacted = entry.withPayload(tombstone);
            SessionInfo next = info.touched(at);
            try (PreparedStatement ps = c.prepareStatement(db.sql(
                    "UPDATE $S.entries SET payload = ? WHERE session_pk = ? AND seq = ?"))) {
                ps.setString(1, ParleyJson.payloadText(tombstone));
                ps.setLong(2, pk);
                ps.setLong(3, entryId.value());
                db.access().wrote(ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement(db.sql(
                    "UPDATE $S.sessions SET updated_at = ?, expires_at = ?, version = ? WHERE pk = ?"))) {
                Rows.setInstant(ps, 1, next.updatedAt());
                Rows.setInstant(ps, 2, next.expiresAt());
                ps.setLong(3, next.version());
                ps.setLong(4, pk);
                db.access().wrote(ps.executeUpdate());
            }
            return redacted;
        });
    }

    private void bindSession(PreparedStatement ps, TenantId tenant, SessionId id) throws SQLException {
        ps.setString(1, tenant.value());
        ps.setString(2, id.value());
        Rows.setInstant(ps, 3, db.now());
    }
}
