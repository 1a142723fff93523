package dev.parley.store.postgres;

import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.store.Target;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The work of one transaction of writes (one write, or a group of concurrent ones), in two round
 * trips: one statement locks the sessions' rows and reads their branches and the heads the writes
 * append to; each write is planned in order over the state the earlier ones left
 * ({@link SessionOverlay}); one statement persists the net result and commits ({@link PlanWriter}).
 * A write whose plan fails is left out and changes nothing; the others still commit.
 */
final class WriteBatch {

    /** What one write came to: a result, or the exception its caller gets. */
    record Outcome(WriteResult result, RuntimeException failure) {
    }

    /** What each write came to, and whether the transaction was committed (it is not when nothing changed). */
    record Result(List<Outcome> outcomes, boolean committed) {
    }

    private record Key(TenantId tenant, SessionId id) {
    }

    private final Db db;
    private final PlanWriter writer;

    WriteBatch(Db db) {
        this.db = db;
        this.writer = new PlanWriter(db);
    }

    /**
     * Runs {@code writes} on {@code c}, whose transaction the caller opened; commits it if anything was
     * written, else leaves the commit to the caller.
     */
    Result run(Connection c, List<PendingWrite> writes) throws SQLException {
        Map<Key, SessionOverlay> overlays = lockAndRead(c, writes);
        readIdempotency(c, overlays, writes);
        List<Outcome> outcomes = new ArrayList<>(writes.size());
        for (PendingWrite w : writes) {
            SessionOverlay overlay = overlays.get(new Key(w.tenant, w.id));
            if (overlay == null) {
                outcomes.add(new Outcome(null, new NotFoundException("no session " + w.id)));
                continue;
            }
            try {
                WritePlan plan = WritePlanner.plan(overlay.context(c, db), w.request);
                if (!plan.replay()) {
                    overlay.apply(plan);
                }
                outcomes.add(new Outcome(plan.result(), null));
            } catch (SqlFailure e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(null, e));
            }
        }
        return new Result(outcomes, writer.persistAndCommit(c, overlays.values()));
    }

    /** A locked session row with what the locking statement read beside it. */
    private static final class Locked {
        final long pk;
        final SessionInfo info;
        final long seenVersion;
        Map<String, Branch> branches = new LinkedHashMap<>();
        List<Entry> heads = new ArrayList<>();

        Locked(long pk, SessionInfo info, long seenVersion) {
            this.pk = pk;
            this.info = info;
            this.seenVersion = seenVersion;
        }
    }

    /**
     * Locks every session the writes address (in pk order, so concurrent batches cannot deadlock) and,
     * in the same statement, reads their branches and the heads of the branches the writes append to
     * (one list of names for the whole batch: a session may have a head read that its own writes do not
     * need, which costs a row and spares a per-session list joined against every row). Those are read
     * in the statement's snapshot while the lock returns the newest row: when another transaction
     * wrote a session while we waited for its lock, the two versions differ, and that session's
     * branches and heads are read again by a statement that starts after the lock is held.
     */
    private Map<Key, SessionOverlay> lockAndRead(Connection c, List<PendingWrite> writes) throws SQLException {
        Set<Key> keys = new LinkedHashSet<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (PendingWrite w : writes) {
            keys.add(new Key(w.tenant, w.id));
            if (w.request.appendAt() instanceof Target.Head head) {
                wanted.add(head.branch());
            }
        }
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        keys.forEach(k -> {
            tenants.add(k.tenant().value());
            ids.add(k.id().value());
        });
        Map<Long, Locked> locked = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT " + Rows.SESSION_COLUMNS
                + ", (SELECT v.version FROM $S.sessions v WHERE v.pk = s.pk) AS seen_version,"
                + " b.name AS branch_name, b.head AS branch_head, " + Rows.ENTRY_COLUMNS
                + " FROM $S.sessions s JOIN unnest(?::text[], ?::text[]) AS k(tenant, id) ON s.tenant = k.tenant AND s.id = k.id"
                + " LEFT JOIN $S.branches b ON b.session_pk = s.pk"
                + " LEFT JOIN $S.entries e ON b.name = ANY (?::text[]) AND e.session_pk = s.pk AND e.seq = b.head"
                + " ORDER BY s.pk FOR NO KEY UPDATE OF s"))) {
            ps.setArray(1, Rows.texts(c, tenants));
            ps.setArray(2, Rows.texts(c, ids));
            ps.setArray(3, Rows.texts(c, wanted));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pk = rs.getLong("pk");
                    Locked row = locked.get(pk);
                    if (row == null) {
                        db.access().read(1);
                        row = new Locked(pk, Rows.session(rs), rs.getLong("seen_version"));
                        locked.put(pk, row);
                    }
                    readBranchAndHead(rs, row);
                }
            }
        }
        List<Locked> stale = locked.values().stream().filter(l -> l.info.version() != l.seenVersion).toList();
        if (!stale.isEmpty()) {
            rereadBranchesAndHeads(c, stale, wanted);
        }
        Map<Key, SessionOverlay> overlays = new HashMap<>();
        Instant now = db.now();
        for (Locked row : locked.values()) {
            if (!row.info.isExpiredAt(now)) {
                SessionOverlay overlay = new SessionOverlay(row.pk, row.info, row.branches);
                row.heads.forEach(overlay::knowEntry);
                overlays.put(new Key(row.info.tenant(), row.info.id()), overlay);
            }
        }
        return overlays;
    }

    private void readBranchAndHead(ResultSet rs, Locked row) throws SQLException {
        String name = rs.getString("branch_name");
        if (name == null) {
            return;
        }
        db.access().read(1);
        row.branches.put(name, new Branch(name, Rows.entryId(rs, "branch_head")));
        rs.getLong("seq");
        if (!rs.wasNull()) {
            db.access().read(1);
            row.heads.add(Rows.entry(rs));
        }
    }

    /** Reads branches and heads of sessions written while this batch waited for their lock, now that it holds it. */
    private void rereadBranchesAndHeads(Connection c, List<Locked> stale, Set<String> wanted) throws SQLException {
        Map<Long, Locked> byPk = new HashMap<>();
        for (Locked row : stale) {
            row.branches = new LinkedHashMap<>();
            row.heads = new ArrayList<>();
            byPk.put(row.pk, row);
        }
        try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT b.session_pk, b.name AS branch_name, b.head AS branch_head, "
                + Rows.ENTRY_COLUMNS + " FROM $S.branches b"
                + " LEFT JOIN $S.entries e ON b.name = ANY (?::text[]) AND e.session_pk = b.session_pk AND e.seq = b.head"
                + " WHERE b.session_pk = ANY (?)"))) {
            ps.setArray(1, Rows.texts(c, wanted));
            ps.setArray(2, Rows.bigints(c, byPk.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    readBranchAndHead(rs, byPk.get(rs.getLong("session_pk")));
                }
            }
        }
    }

    /** Reads the idempotency records the writes name, so replays and mismatches need no lookup each. */
    private void readIdempotency(Connection c, Map<Key, SessionOverlay> overlays, List<PendingWrite> writes)
            throws SQLException {
        List<Long> pks = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (PendingWrite w : writes) {
            SessionOverlay o = overlays.get(new Key(w.tenant, w.id));
            if (o != null && w.request.idempotency() != null) {
                pks.add(o.pk);
                keys.add(w.request.idempotency().key());
                o.knowIdempotency(w.request.idempotency().key(), null);
            }
        }
        if (pks.isEmpty()) {
            return;
        }
        Map<Long, SessionOverlay> byPk = new HashMap<>();
        overlays.values().forEach(o -> byPk.put(o.pk, o));
        try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT DISTINCT i.session_pk, i.key, i.request_hash, i.entries,"
                + " i.at, i.pending FROM $S.idempotency i"
                + " JOIN unnest(?::bigint[], ?::text[]) AS k(pk, key) ON i.session_pk = k.pk AND i.key = k.key"))) {
            ps.setArray(1, Rows.bigints(c, pks));
            ps.setArray(2, Rows.texts(c, keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    db.access().read(1);
                    byPk.get(rs.getLong("session_pk")).knowIdempotency(rs.getString("key"), Rows.idempotency(rs));
                }
            }
        }
    }
}
