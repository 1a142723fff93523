package dev.parley.store.postgres;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every read is one statement, so it sees one consistent snapshot without a transaction. Reads that
 * address a session join it by (tenant, id) and the store's clock, so an expired session or one of
 * another tenant is "not found" in the same statement that reads its rows.
 */
final class SessionReads {
    private final Db db;

    SessionReads(Db db) {
        this.db = db;
    }

    /** The session's live row by tenant and id, for the {@code FROM} of a read; binds tenant, id and now. */
    private static final String SESSION = "SELECT s.pk FROM $S.sessions s WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE;

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String what, String template, Binder binder, RowReader reader) {
        db.autocommit(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql(template))) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        db.access().read(1);
                        reader.read(rs);
                    }
                }
            }
            return null;
        });
    }

    private void bindSession(PreparedStatement ps, TenantId tenant, SessionId id) throws SQLException {
        ps.setString(1, tenant.value());
        ps.setString(2, id.value());
        Rows.setInstant(ps, 3, db.now());
    }

    Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        SessionInfo[] info = new SessionInfo[1];
        Map<String, Branch> branches = new LinkedHashMap<>();
        query("read session " + id, "SELECT " + Rows.SESSION_COLUMNS + ", b.name AS branch_name, b.head AS branch_head"
                        + " FROM $S.sessions s LEFT JOIN $S.branches b ON b.session_pk = s.pk"
                        + " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE,
                ps -> bindSession(ps, tenant, id),
                rs -> {
                    if (info[0] == null) {
                        info[0] = Rows.session(rs);
                    }
                    String name = rs.getString("branch_name");
                    if (name != null) {
                        branches.put(name, new Branch(name, Rows.entryId(rs, "branch_head")));
                    }
                });
        return Optional.ofNullable(info[0]).map(i -> new SessionSnapshot(i, branches));
    }

    Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        ListCursor after = cursor == null ? null : ListCursor.decode(cursor);
        List<SessionInfo> items = new ArrayList<>();
        query("list sessions", "SELECT " + Rows.SESSION_COLUMNS + " FROM $S.sessions s WHERE s.tenant = ? AND " + Rows.LIVE
                        + (user == null ? "" : " AND s.user_id = ?")
                        + (after == null ? "" : " AND (s.created_at, s.id) < (?, ?)")
                        + " ORDER BY s.created_at DESC, s.id DESC LIMIT ?",
                ps -> {
                    int i = 1;
                    ps.setString(i++, tenant.value());
                    Rows.setInstant(ps, i++, db.now());
                    if (user != null) {
                        ps.setString(i++, user.value());
                    }
                    if (after != null) {
                        Rows.setInstant(ps, i++, after.createdAt());
                        ps.setString(i++, after.id().value());
                    }
                    ps.setInt(i, limit + 1);
                },
                rs -> items.add(Rows.session(rs)));
        if (items.size() <= limit) {
            return new Page<>(items, null);
        }
        List<SessionInfo> page = items.subList(0, limit);
        return new Page<>(page, ListCursor.after(page.getLast()).encode());
    }

    Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entry) {
        List<Entry> found = new ArrayList<>();
        boolean[] session = new boolean[1];
        query("read entry " + entry + " of session " + id, "SELECT s.pk, " + Rows.ENTRY_COLUMNS + " FROM (" + SESSION + ") s"
                        + " LEFT JOIN $S.entries e ON e.session_pk = s.pk AND e.seq = ?",
                ps -> {
                    bindSession(ps, tenant, id);
                    ps.setLong(4, entry.value());
                },
                rs -> {
                    session[0] = true;
                    rs.getLong("seq");
                    if (!rs.wasNull()) {
                        found.add(Rows.entry(rs));
                    }
                });
        requireSession(session[0], id);
        return found.stream().findFirst();
    }

    /** The last {@code limit} entries of the path to {@code head}: a walk up the parents bounded by the limit, O(limit). */
    List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        Objects.requireNonNull(head, "head");
        List<Entry> path = new ArrayList<>();
        boolean[] session = new boolean[1];
        query("read the path to entry " + head + " of session " + id, "WITH RECURSIVE s AS (" + SESSION + "),"
                        + " walk AS (SELECT e.*, 1 AS n FROM $S.entries e JOIN s ON e.session_pk = s.pk WHERE e.seq = ?"
                        + " UNION ALL SELECT e.*, w.n + 1 FROM walk w JOIN $S.entries e"
                        + " ON e.session_pk = w.session_pk AND e.seq = w.parent WHERE w.n < ?)"
                        + " SELECT s.pk, " + Rows.entryColumns("w") + " FROM s LEFT JOIN walk w ON true ORDER BY w.seq",
                ps -> {
                    bindSession(ps, tenant, id);
                    ps.setLong(4, head.value());
                    ps.setInt(5, Math.max(limit, 1));
                },
                rs -> {
                    session[0] = true;
                    rs.getLong("seq");
                    if (!rs.wasNull()) {
                        path.add(Rows.entry(rs));
                    }
                });
        requireSession(session[0], id);
        if (path.isEmpty()) {
            throw new NotFoundException("no entry " + head + " in session " + id);
        }
        return limit == 0 ? List.of() : path;
    }

    List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        List<Entry> out = new ArrayList<>();
        boolean[] session = new boolean[1];
        query("read entries of session " + id, "SELECT s.pk, " + Rows.ENTRY_COLUMNS + " FROM (" + SESSION + ") s"
                        + " LEFT JOIN LATERAL (SELECT * FROM $S.entries x WHERE x.session_pk = s.pk AND x.seq > ?"
                        + " ORDER BY x.seq LIMIT ?) e ON true ORDER BY e.seq",
                ps -> {
                    bindSession(ps, tenant, id);
                    ps.setLong(4, afterSeq);
                    ps.setLong(5, limit);
                },
                rs -> {
                    session[0] = true;
                    rs.getLong("seq");
                    if (!rs.wasNull()) {
                        out.add(Rows.entry(rs));
                    }
                });
        requireSession(session[0], id);
        return out;
    }

    Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        List<Checkpoint> found = checkpoints(tenant, id, name);
        return found.stream().findFirst();
    }

    /** The session's checkpoints in the order they were made; only the one named {@code name} if it is not null. */
    List<Checkpoint> checkpoints(TenantId tenant, SessionId id, String name) {
        List<Checkpoint> out = new ArrayList<>();
        boolean[] session = new boolean[1];
        query("read checkpoints of session " + id, "SELECT s.pk, k.name, k.entry, k.note, k.at FROM (" + SESSION + ") s"
                        + " LEFT JOIN $S.checkpoints k ON k.session_pk = s.pk" + (name == null ? "" : " AND k.name = ?")
                        + " ORDER BY k.ord",
                ps -> {
                    bindSession(ps, tenant, id);
                    if (name != null) {
                        ps.setString(4, name);
                    }
                },
                rs -> {
                    session[0] = true;
                    if (rs.getString("name") != null) {
                        out.add(Rows.checkpoint(rs));
                    }
                });
        requireSession(session[0], id);
        return out;
    }

    List<VaultRow> vault(TenantId tenant, SessionId id) {
        List<VaultRow> out = new ArrayList<>();
        boolean[] session = new boolean[1];
        query("read the vault of session " + id, "SELECT s.pk, v.placeholder, v.lookup, v.ciphertext FROM (" + SESSION + ") s"
                        + " LEFT JOIN $S.vault v ON v.session_pk = s.pk ORDER BY v.ord",
                ps -> bindSession(ps, tenant, id),
                rs -> {
                    session[0] = true;
                    if (rs.getString("placeholder") != null) {
                        out.add(Rows.vault(rs));
                    }
                });
        requireSession(session[0], id);
        return out;
    }

    Map<String, Long> counters(TenantId tenant, SessionId id) {
        Map<String, Long> out = new TreeMap<>();
        boolean[] session = new boolean[1];
        query("read counters of session " + id, "SELECT s.pk, c.name, c.value FROM (" + SESSION + ") s"
                        + " LEFT JOIN $S.counters c ON c.session_pk = s.pk",
                ps -> bindSession(ps, tenant, id),
                rs -> {
                    session[0] = true;
                    if (rs.getString("name") != null) {
                        out.put(rs.getString("name"), rs.getLong("value"));
                    }
                });
        requireSession(session[0], id);
        return Map.copyOf(out);
    }

    /** Sums counters in the database, over a user's live sessions or the whole tenant's, never loading a session. */
    Map<String, Long> sumCounters(TenantId tenant, UserId user) {
        Map<String, Long> out = new TreeMap<>();
        query("sum counters", "SELECT c.name, sum(c.value) AS total FROM $S.counters c JOIN $S.sessions s ON s.pk = c.session_pk"
                        + " WHERE s.tenant = ? AND " + Rows.LIVE + (user == null ? "" : " AND s.user_id = ?") + " GROUP BY c.name",
                ps -> {
                    ps.setString(1, tenant.value());
                    Rows.setInstant(ps, 2, db.now());
                    if (user != null) {
                        ps.setString(3, user.value());
                    }
                },
                rs -> out.put(rs.getString("name"), rs.getLong("total")));
        return Map.copyOf(out);
    }

    private static void requireSession(boolean found, SessionId id) {
        if (!found) {
            throw new NotFoundException("no session " + id);
        }
    }
}
