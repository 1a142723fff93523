package dev.parley.store.sqlite;

import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every read, on one of the read-only connections. WAL lets them run beside the writer; each read
 * is a single statement, so it sees one committed state. Reads of a session's parts join the
 * session row, so an unknown, expired or other tenant's session is "not found" in the same query.
 */
final class Reads {

    private final ReadConnections connections;
    private final Clock clock;
    private final AccessCounter access;

    Reads(ReadConnections connections, Clock clock, AccessCounter access) {
        this.connections = connections;
        this.clock = clock;
        this.access = access;
    }

    private long now() {
        return clock.instant().toEpochMilli();
    }

    private static NotFoundException noSession(SessionId id) {
        return new NotFoundException("no session " + id);
    }

    /** Binds tenant, id and the current time to the first three parameters of a query filtering on {@code s}. */
    private PreparedStatement sessionQuery(Statements c, String sql, TenantId tenant, SessionId id) throws SQLException {
        PreparedStatement ps = c.get(sql);
        ps.setString(1, tenant.value());
        ps.setString(2, id.value());
        ps.setLong(3, now());
        return ps;
    }

    private static final String LIVE_SESSION = " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE;

    // ---- sessions -------------------------------------------------------------------------------------

    Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        return connections.read("reading session " + id, c -> {
            PreparedStatement ps = sessionQuery(c, "SELECT " + Rows.SESSION_COLUMNS + ", b.name, b.head FROM sessions s "
                    + "LEFT JOIN branches b ON b.session_pk = s.pk" + LIVE_SESSION, tenant, id);
            try (ResultSet rs = ps.executeQuery()) {
                SessionInfo info = null;
                Map<String, Branch> branches = new HashMap<>();
                while (rs.next()) {
                    if (info == null) {
                        info = Rows.session(rs, 1);
                    }
                    String name = rs.getString(Rows.SESSION_WIDTH + 1);
                    if (name != null) {
                        branches.put(name, new Branch(name, Rows.entryId(rs, Rows.SESSION_WIDTH + 2)));
                    }
                }
                if (info == null) {
                    return Optional.empty();
                }
                access.read(1 + branches.size());
                return Optional.of(new SessionSnapshot(info, branches));
            }
        });
    }

    Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        ListCursor after = cursor == null ? null : ListCursor.decode(cursor);
        String sql = "SELECT " + Rows.SESSION_COLUMNS + " FROM sessions s WHERE s.tenant = ? AND " + Rows.LIVE
                + (user == null ? "" : " AND s.user_id = ?")
                + (after == null ? "" : " AND (s.created_at < ? OR (s.created_at = ? AND s.id < ?))")
                + " ORDER BY s.created_at DESC, s.id DESC LIMIT ?";
        return connections.read("listing sessions", c -> {
            PreparedStatement ps = c.get(sql);
            int i = 1;
            ps.setString(i++, tenant.value());
            ps.setLong(i++, now());
            if (user != null) {
                ps.setString(i++, user.value());
            }
            if (after != null) {
                ps.setLong(i++, after.createdAt().toEpochMilli());
                ps.setLong(i++, after.createdAt().toEpochMilli());
                ps.setString(i++, after.id().value());
            }
            ps.setInt(i, limit + 1);
            List<SessionInfo> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(Rows.session(rs, 1));
                }
            }
            access.read(items.size());
            if (items.size() <= limit) {
                return new Page<>(items, null);
            }
            List<SessionInfo> page = items.subList(0, limit);
            return new Page<>(page, ListCursor.after(page.getLast()).encode());
        });
    }

    // ---- history --------------------------------------------------------------------------------------

    Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entry) {
        return connections.read("reading entry " + entry + " of session " + id, c -> {
            PreparedStatement ps = c.get("SELECT s.pk, " + Rows.ENTRY_COLUMNS + " FROM sessions s "
                    + "LEFT JOIN entries e ON e.session_pk = s.pk AND e.seq = ?" + " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE);
            ps.setLong(1, entry.value());
            ps.setString(2, tenant.value());
            ps.setString(3, id.value());
            ps.setLong(4, now());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw noSession(id);
                }
                rs.getLong(2);
                if (rs.wasNull()) {
                    return Optional.empty();
                }
                access.read(1);
                return Optional.of(Rows.entry(rs, 2));
            }
        });
    }

    /**
     * The last {@code limit} entries of the path ending at {@code head}, oldest first: a recursive walk
     * from the head over the primary key (session, seq), one lookup per entry, stopped after {@code limit}.
     */
    List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        if (limit == 0) {
            if (entry(tenant, id, head).isEmpty()) {
                throw new NotFoundException("no entry " + head + " in session " + id);
            }
            return List.of();
        }
        String columns = "seq, parent, depth, message_count, at, kind, payload, state_ref, summary_ref, pins_ref";
        String sql = "WITH RECURSIVE walk (n, pk, " + columns + ") AS ("
                + " SELECT 1, s.pk, " + Rows.ENTRY_COLUMNS + " FROM sessions s JOIN entries e ON e.session_pk = s.pk AND e.seq = ?"
                + " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE
                + " UNION ALL"
                + " SELECT w.n + 1, w.pk, " + Rows.ENTRY_COLUMNS + " FROM walk w JOIN entries e ON e.session_pk = w.pk AND e.seq = w.parent"
                + " WHERE w.n < ?)"
                + " SELECT " + columns + " FROM walk";
        List<Entry> path = connections.read("reading the path to entry " + head + " of session " + id, c -> {
            PreparedStatement ps = c.get(sql);
            ps.setLong(1, head.value());
            ps.setString(2, tenant.value());
            ps.setString(3, id.value());
            ps.setLong(4, now());
            ps.setInt(5, limit);
            List<Entry> out = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.entry(rs, 1));
                }
            }
            return out;
        });
        if (path.isEmpty()) {
            if (find(tenant, id).isEmpty()) {
                throw noSession(id);
            }
            throw new NotFoundException("no entry " + head + " in session " + id);
        }
        access.read(path.size());
        // Depth grows by one along a path, so it orders the walk's rows oldest first without a sort in SQL.
        path.sort(Comparator.comparingInt(Entry::depth));
        return Collections.unmodifiableList(path);
    }

    List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        if (limit == 0) {
            requireSession(tenant, id);
            return List.of();
        }
        return connections.read("reading the entries of session " + id, c -> {
            PreparedStatement ps = c.get("SELECT s.pk, " + Rows.ENTRY_COLUMNS + " FROM sessions s "
                    + "LEFT JOIN entries e ON e.session_pk = s.pk AND e.seq > ?" + " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE
                    + " ORDER BY e.seq LIMIT ?");
            ps.setLong(1, afterSeq);
            ps.setString(2, tenant.value());
            ps.setString(3, id.value());
            ps.setLong(4, now());
            ps.setInt(5, limit);
            List<Entry> out = new ArrayList<>();
            boolean found = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found = true;
                    rs.getLong(2);
                    if (!rs.wasNull()) {
                        out.add(Rows.entry(rs, 2));
                    }
                }
            }
            if (!found) {
                throw noSession(id);
            }
            access.read(out.size());
            return out;
        });
    }

    private void requireSession(TenantId tenant, SessionId id) {
        boolean found = connections.read("reading session " + id, c -> {
            PreparedStatement ps = sessionQuery(c, "SELECT 1 FROM sessions s" + LIVE_SESSION, tenant, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
        if (!found) {
            throw noSession(id);
        }
    }

    // ---- a session's parts: one LEFT JOIN from the session row, so "no session" and "none" differ -----

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs, int firstColumn) throws SQLException;
    }

    /** Rows of a session's child table: {@code columns} of {@code table t} joined on {@code condition}, in {@code order}. */
    private <T> List<T> parts(TenantId tenant, SessionId id, String what, String columns, String joinCondition, String order,
                              String value, RowReader<T> reader) {
        String sql = "SELECT s.pk, " + columns + " FROM sessions s LEFT JOIN " + joinCondition
                + (value == null ? "" : " AND " + "t.name = ?")
                + " WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE + (order == null ? "" : " ORDER BY " + order);
        return connections.read(what, c -> {
            PreparedStatement ps = c.get(sql);
            int i = 1;
            if (value != null) {
                ps.setString(i++, value);
            }
            ps.setString(i++, tenant.value());
            ps.setString(i++, id.value());
            ps.setLong(i, now());
            List<T> out = new ArrayList<>();
            boolean found = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found = true;
                    if (rs.getString(2) != null) {
                        out.add(reader.read(rs, 2));
                    }
                }
            }
            if (!found) {
                throw noSession(id);
            }
            access.read(out.size());
            return out;
        });
    }

    Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        return parts(tenant, id, "reading checkpoint " + name + " of session " + id, "t.name, t.entry, t.note, t.at",
                "checkpoints t ON t.session_pk = s.pk", null, name, Rows::checkpoint).stream().findFirst();
    }

    List<Checkpoint> checkpoints(TenantId tenant, SessionId id) {
        return parts(tenant, id, "reading the checkpoints of session " + id, "t.name, t.entry, t.note, t.at",
                "checkpoints t ON t.session_pk = s.pk", "t.rowid", null, Rows::checkpoint);
    }

    List<VaultRow> vault(TenantId tenant, SessionId id) {
        return parts(tenant, id, "reading the vault of session " + id, "t.placeholder, t.lookup, t.ciphertext",
                "vault t ON t.session_pk = s.pk", "t.rowid", null, Rows::vaultRow);
    }

    Map<String, Long> counters(TenantId tenant, SessionId id) {
        record Counter(String name, long value) {
        }
        List<Counter> rows = parts(tenant, id, "reading the counters of session " + id, "t.name, t.value",
                "counters t ON t.session_pk = s.pk", null, null, (rs, at) -> new Counter(rs.getString(at), rs.getLong(at + 1)));
        Map<String, Long> out = new TreeMap<>();
        rows.forEach(r -> out.put(r.name(), r.value()));
        return out;
    }
}
