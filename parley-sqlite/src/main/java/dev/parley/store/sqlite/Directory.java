package dev.parley.store.sqlite;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.IdCursor;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import dev.parley.store.UserKeyRecord;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The listings in id order: tenants, a tenant's users, a tenant's user keys. A tenant or user is whatever
 * rows carry its id, so the next one after a cursor is the smallest id above it among the tables that
 * hold ids; each table answers that from the index its primary key or listing already has (a few
 * B-tree steps per id listed, never a scan of the table).
 */
final class Directory {
    private static final String NEXT_TENANT = """
            SELECT min(t) FROM (
              SELECT (SELECT s.tenant FROM sessions s WHERE s.tenant > ?1 AND (s.expires_at IS NULL OR s.expires_at > ?2)
                      ORDER BY s.tenant LIMIT 1) AS t
              UNION ALL SELECT (SELECT tenant FROM scoped_state WHERE tenant > ?1 ORDER BY tenant LIMIT 1)
              UNION ALL SELECT (SELECT tenant FROM budgets WHERE tenant > ?1 ORDER BY tenant LIMIT 1)
              UNION ALL SELECT (SELECT tenant FROM user_keys WHERE tenant > ?1 ORDER BY tenant LIMIT 1))""";
    private static final String NEXT_USER = """
            SELECT min(u) FROM (
              SELECT (SELECT s.user_id FROM sessions s WHERE s.tenant = ?1 AND s.user_id > ?2
                      AND (s.expires_at IS NULL OR s.expires_at > ?3) ORDER BY s.user_id LIMIT 1) AS u
              UNION ALL SELECT (SELECT user_id FROM scoped_state WHERE tenant = ?1 AND scope = 'user' AND user_id > ?2
                                ORDER BY user_id LIMIT 1)
              UNION ALL SELECT (SELECT id FROM budgets WHERE tenant = ?1 AND level = 'USER' AND id > ?2 ORDER BY id LIMIT 1)
              UNION ALL SELECT (SELECT user_id FROM user_keys WHERE tenant = ?1 AND user_id > ?2 ORDER BY user_id LIMIT 1))""";
    private static final String KEYS = "SELECT user_id, wrapped FROM user_keys WHERE tenant = ? AND user_id > ? ORDER BY user_id LIMIT ?";

    private final ReadConnections connections;
    private final Clock clock;
    private final AccessCounter access;

    Directory(ReadConnections connections, Clock clock, AccessCounter access) {
        this.connections = connections;
        this.clock = clock;
        this.access = access;
    }

    Page<TenantId> tenants(String cursor, int limit) {
        ListCursor.requireLimit(limit);
        TenantId after = IdCursor.tenantAfter(cursor);
        long now = clock.instant().toEpochMilli();
        List<TenantId> fetched = connections.read("listing tenants", c -> {
            PreparedStatement next = c.get(NEXT_TENANT);
            List<TenantId> out = new ArrayList<>();
            String last = after == null ? "" : after.value();
            while (out.size() <= limit) {
                next.setString(1, last);
                next.setLong(2, now);
                last = single(next);
                if (last == null) {
                    break;
                }
                out.add(TenantId.of(last));
            }
            return out;
        });
        access.read(fetched.size());
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    Page<UserId> users(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        long now = clock.instant().toEpochMilli();
        List<UserId> fetched = connections.read("listing the users of tenant " + tenant, c -> {
            PreparedStatement next = c.get(NEXT_USER);
            next.setString(1, tenant.value());
            List<UserId> out = new ArrayList<>();
            String last = after == null ? "" : after.value();
            while (out.size() <= limit) {
                next.setString(2, last);
                next.setLong(3, now);
                last = single(next);
                if (last == null) {
                    break;
                }
                out.add(UserId.of(last));
            }
            return out;
        });
        access.read(fetched.size());
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        List<UserKeyRecord> fetched = connections.read("listing the user keys of tenant " + tenant, c -> {
            PreparedStatement ps = c.get(KEYS);
            ps.setString(1, tenant.value());
            ps.setString(2, after == null ? "" : after.value());
            ps.setInt(3, limit + 1);
            List<UserKeyRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UserKeyRecord(UserId.of(rs.getString(1)), rs.getString(2)));
                }
            }
            return out;
        });
        access.read(fetched.size());
        return IdCursor.page(fetched, limit, r -> IdCursor.after(r.user()));
    }

    private static String single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
