package dev.parley.store.postgres;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.IdCursor;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The tenants and a tenant's users, in id order. A tenant or user is whatever rows carry its id, so a page is
 * a walk: the next id after the cursor is the least of each table's next id, found by one step down the index
 * its primary key or listing already has ({@code LEAST} ignores the tables that have none). One recursive query
 * takes those steps for a whole page, so a page costs one round trip and a few index probes per id.
 */
final class Directory {
    private static final String TENANTS = walk("""
            LEAST(
              (SELECT s.tenant FROM $S.sessions s WHERE s.tenant > %1$s AND (s.expires_at IS NULL OR s.expires_at > p.now)
               ORDER BY s.tenant LIMIT 1),
              (SELECT x.tenant FROM $S.scoped_state x WHERE x.tenant > %1$s ORDER BY x.tenant LIMIT 1),
              (SELECT x.tenant FROM $S.budgets x WHERE x.tenant > %1$s ORDER BY x.tenant LIMIT 1),
              (SELECT x.tenant FROM $S.user_keys x WHERE x.tenant > %1$s ORDER BY x.tenant LIMIT 1))""");
    private static final String USERS = walk("""
            LEAST(
              (SELECT s.user_id FROM $S.sessions s WHERE s.tenant = p.tenant AND s.user_id > %1$s
               AND (s.expires_at IS NULL OR s.expires_at > p.now) ORDER BY s.user_id LIMIT 1),
              (SELECT x.user_id FROM $S.scoped_state x WHERE x.tenant = p.tenant AND x.scope = '%2$s' AND x.user_id > %1$s
               ORDER BY x.user_id LIMIT 1),
              (SELECT x.id FROM $S.budgets x WHERE x.tenant = p.tenant AND x.level = 'USER' AND x.id > %1$s ORDER BY x.id LIMIT 1),
              (SELECT x.user_id FROM $S.user_keys x WHERE x.tenant = p.tenant AND x.user_id > %1$s ORDER BY x.user_id LIMIT 1))""");

    /** The recursive walk around {@code next}, a template of the next id after {@code %1$s}; binds tenant, after, now, count. */
    private static String walk(String next) {
        return "WITH RECURSIVE p AS (SELECT ?::text COLLATE \"C\" AS tenant, ?::text COLLATE \"C\" AS after,"
                + " ?::timestamptz AS now, ?::int AS count),"
                + " walk(id, n) AS (SELECT " + next.formatted("p.after", ScopedStates.USER_SCOPE) + ", 1 FROM p"
                + " UNION ALL SELECT " + next.formatted("w.id", ScopedStates.USER_SCOPE) + ", w.n + 1 FROM walk w, p"
                + " WHERE w.id IS NOT NULL AND w.n < p.count)"
                + " SELECT id FROM walk WHERE id IS NOT NULL ORDER BY n";
    }

    private final Db db;

    Directory(Db db) {
        this.db = db;
    }

    Page<TenantId> tenants(String cursor, int limit) {
        ListCursor.requireLimit(limit);
        TenantId after = IdCursor.tenantAfter(cursor);
        List<TenantId> fetched = new ArrayList<>();
        for (String id : ids("list tenants", TENANTS, "", after == null ? "" : after.value(), limit + 1)) {
            fetched.add(TenantId.of(id));
        }
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    Page<UserId> users(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        List<UserId> fetched = new ArrayList<>();
        for (String id : ids("list the users of tenant " + tenant, USERS, tenant.value(), after == null ? "" : after.value(), limit + 1)) {
            fetched.add(UserId.of(id));
        }
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    private List<String> ids(String what, String template, String tenant, String after, int count) {
        return db.autocommit(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql(template))) {
                ps.setString(1, tenant);
                ps.setString(2, after);
                Rows.setInstant(ps, 3, db.now());
                ps.setInt(4, count);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                db.access().read(ids.size());
                return ids;
            }
        });
    }
}
