package dev.parley.store.postgres;

import dev.parley.ConflictException;
import dev.parley.domain.TenantId;
import dev.parley.store.Scope;
import dev.parley.store.Versioned;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * User- and app-scope state: one row per key with its own version, so setting one preference never
 * rewrites or locks the others. Each conditional change is a single statement whose WHERE clause is
 * the condition, so any number of servers can share the table.
 */
final class ScopedStates {
    static final String USER_SCOPE = "user";
    private static final String APP_SCOPE = "app";

    private final Db db;

    ScopedStates(Db db) {
        this.db = db;
    }

    private record ScopeRef(String scope, String user) {
        static ScopeRef of(Scope scope) {
            return switch (Objects.requireNonNull(scope, "scope")) {
                case Scope.User u -> new ScopeRef(USER_SCOPE, u.user().value());
                case Scope.App a -> new ScopeRef(APP_SCOPE, "");
            };
        }
    }

    private static final String STATE_KEY = " WHERE tenant = ? AND scope = ? AND user_id = ? AND key = ?";

    private static void bindKey(PreparedStatement ps, TenantId tenant, ScopeRef ref, String key) throws SQLException {
        ps.setString(1, tenant.value());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.user());
        ps.setString(4, key);
    }

    Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        ScopeRef ref = ScopeRef.of(scope);
        return db.autocommit("read " + ref.scope() + " state", c -> {
            Map<String, Versioned<String>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(db.sql(
                    "SELECT key, json, version FROM $S.scoped_state WHERE tenant = ? AND scope = ? AND user_id = ?"))) {
                ps.setString(1, tenant.value());
                ps.setString(2, ref.scope());
                ps.setString(3, ref.user());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        db.access().read(1);
                        out.put(rs.getString("key"), new Versioned<>(rs.getString("json"), rs.getLong("version")));
                    }
                }
            }
            return Map.copyOf(out);
        });
    }

    Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        ScopeRef ref = ScopeRef.of(scope);
        return db.autocommit("read " + ref.scope() + " state key '" + key + "'", c -> read(c, tenant, ref, key));
    }

    private Optional<Versioned<String>> read(Connection c, TenantId tenant, ScopeRef ref, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT json, version FROM $S.scoped_state" + STATE_KEY))) {
            bindKey(ps, tenant, ref, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                db.access().read(1);
                return Optional.of(new Versioned<>(rs.getString("json"), rs.getLong("version")));
            }
        }
    }

    /** One statement per case: the version check and the change are atomic in the database. */
    long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        Objects.requireNonNull(key, "key");
        ScopeRef ref = ScopeRef.of(scope);
        return db.autocommit("write " + ref.scope() + " state key '" + key + "'", c -> {
            if (json == null) {
                if (ifVersion != null && ifVersion == 0) {
                    long current = read(c, tenant, ref, key).map(Versioned::version).orElse(0L);
                    if (current != 0) {
                        throw conflict(key, current, 0);
                    }
                    return 0L;
                }
                try (PreparedStatement ps = c.prepareStatement(db.sql("DELETE FROM $S.scoped_state" + STATE_KEY
                        + (ifVersion == null ? "" : " AND version = ?")))) {
                    bindKey(ps, tenant, ref, key);
                    if (ifVersion != null) {
                        ps.setLong(5, ifVersion);
                    }
                    int deleted = ps.executeUpdate();
                    db.access().wrote(deleted);
                    if (ifVersion != null && deleted == 0) {
                        throw conflict(key, read(c, tenant, ref, key).map(Versioned::version).orElse(0L), ifVersion);
                    }
                    return 0L;
                }
            }
            String sql = ifVersion == null
                    ? "INSERT INTO $S.scoped_state AS t (tenant, scope, user_id, key, json, version) VALUES (?, ?, ?, ?, ?, 1)"
                    + " ON CONFLICT (tenant, scope, user_id, key) DO UPDATE SET json = excluded.json, version = t.version + 1"
                    + " RETURNING version"
                    : ifVersion == 0
                    ? "INSERT INTO $S.scoped_state (tenant, scope, user_id, key, json, version) VALUES (?, ?, ?, ?, ?, 1)"
                    + " ON CONFLICT (tenant, scope, user_id, key) DO NOTHING RETURNING version"
                    : "UPDATE $S.scoped_state SET json = ?, version = version + 1" + STATE_KEY + " AND version = ? RETURNING version";
            try (PreparedStatement ps = c.prepareStatement(db.sql(sql))) {
                if (ifVersion == null || ifVersion == 0) {
                    bindKey(ps, tenant, ref, key);
                    ps.setString(5, json);
                } else {
                    ps.setString(1, json);
                    ps.setString(2, tenant.value());
                    ps.setString(3, ref.scope());
                    ps.setString(4, ref.user());
                    ps.setString(5, key);
                    ps.setLong(6, ifVersion);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        db.access().wrote(1);
                        return rs.getLong(1);
                    }
                }
            }
            throw conflict(key, read(c, tenant, ref, key).map(Versioned::version).orElse(0L), ifVersion);
        });
    }

    private static ConflictException conflict(String key, long current, long expected) {
        return new ConflictException(ConflictException.Reason.VERSION,
                "state key '" + key + "' is at version " + current + ", not " + expected);
    }
}
