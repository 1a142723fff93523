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
 * The work of one transaction of writes (one write, or a group of concurrent ones), in three round
 * trips: one statement locks the sessions' rows and reads their branches and the heads the writes
 * append to; each write is planned in order over the state the earlier ones left
 * ({@link SessionOverlay}); one statement persists the net result ({@link PlanWriter}); then COMMIT.
 * A write whose plan fails is left out and changes nothing; the others still commit.
 */
final class WriteBatch {

    /** What one write came to: a result, or the exception its caller gets. */
    record Outcome(WriteResult result, RuntimeException failure) {
    }

    private record Key(TenantId tenant, SessionId id) {
    }

    private final Db db;
    private final PlanWriter writer;

    WriteBatch(Db db) {
        this.db = db;
        this.writer = new PlanWriter(db);
    }

    /** Runs {@code writes} on {@code c}, whose transaction the caller opened and will commit. */
    List<Outcome> run(Connection c, List<PendingWrite> writes) throws SQLException {
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
        writer.persist(c, overlays.values());
        return outcomes;
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
     * in the same statement, reads their branches and the heads the writes append to. Those are read
     * in the statement's snapshot while the lock returns the newest row: when another transaction
     * wrote a session while we waited for its lock, the two versions differ, and that session's
     * branches and heads are read again by a statement that starts after the lock is held.
     */
    private Map<Key, SessionOverlay> lockAndRead(Connection c, List<PendingWrite> writes) throws SQLException {
        Set<Key> keys = new LinkedHashSet<>();
        Set<List<String>> wanted = new LinkedHashSet<>();
        for (PendingWrite w : writes) {
            keys.add(new Key(w.tenant, w.id));
            if (w.request.appendAt() instanceof Target.Head head) {
                wanted.add(List.of(w.tenant.value(), w.id.value(), head.branch()));
            }
        }
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        keys.forEach(k -> {
            tenants.add(k.tenant().value());
            ids.add(k.id().value());
        });
        List<String> wantedTenants = new ArrayList<>();
        List<String> wantedIds = new ArrayList<>();
        List<String> wantedBranches = new ArrayList<>();
        wanted.forEach(w -> {
            wantedTenants.add(w.get(0));
            wantedIds.add(w.get(1));
            wantedBranches.add(w.get(2));
        });
        Map<Long, Locked> locked = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT " + Rows.SESSION_COLUMNS
                + ", (SELECT v.version FROM $S.sessions v WHERE v.pk = s.pk) AS seen_version,"
                + " b.name AS branch_name, b.head AS branch_head, " + Rows.ENTRY_COLUMNS
                + " FROM $S.sessions s JOIN unnest(?::text[], ?::text[]) AS k(tenant, id) ON s.tenant = k.tenant AND s.id = k.id"
                + " LEFT JOIN $S.branches b ON b.session_pk = s.pk"
                + " LEFT JOIN unnest(?::text[], ?::text[], ?::text[]) AS w(tenant, id, name)"
                + " ON w.tenant = s.tenant AND w.id = s.id AND w.name = b.name"
                + " LEFT JOIN $S.entries e ON w.name IS NOT NULL AND e.session_pk = s.pk AND e.seq = b.head"
                + " ORDER BY s.pk FOR NO KEY UPDATE OF s"))) {
            ps.setArray(1, Rows.texts(c, tenants));
            ps.setArray(2, Rows.texts(c, ids));
            ps.setArray(3, Rows.texts(c, wantedTenants));
            ps.setArray(4, Rows.texts(c, wantedIds));
            ps.setArray(5, Rows.texts(c, wantedBranches));
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
    private void rereadBranchesAndHeads(Connection c, List<Locked> stale, Set<List<String>> wanted) throws SQLException {
        Map<Long, Locked> byPk = new HashMap<>();
        List<Long> wantedPks = new ArrayList<>();
        List<String> wantedNames = new ArrayList<>();
        for (Locked row : stale) {
            row.branches = new LinkedHashMap<>();
            row.heads = new ArrayList<>();
            byPk.put(row.pk, row);
            for (List<String> w : wanted) {
                if (w.get(0).equals(row.info.tenant().value()) && w.get(1).equals(row.info.id().value())) {
                    wantedPks.add(row.pk);
                    wantedNames.add(w.get(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT b.session_pk, b.name AS branch_name, b.head AS branch_head, "
                + Rows.ENTRY_COLUMNS + " FROM $S.branches b"
                + " LEFT JOIN unnest(?::bigint[], ?::text[]) AS w(pk, name) ON w.pk = b.session_pk AND w.name = b.name"
                + " LEFT JOIN $S.entries e ON w.pk IS NOT NULL AND e.session_pk = b.session_pk AND e.seq = b.head"
                + " WHERE b.session_pk = ANY (?)"))) {
            ps.setArray(1, Rows.bigints(c, wantedPks));
            ps.setArray(2, Rows.texts(c, wantedNames));
            ps.setArray(3, Rows.bigints(c, byPk.keySet()));
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
