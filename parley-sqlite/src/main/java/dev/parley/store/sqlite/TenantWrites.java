package dev.parley.store.sqlite;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.Scope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Changes to the rows that live beside sessions: user- and app-scope state, budget counters and
 * users' keys. Run by the writer thread inside its open transaction, so a check and the change it
 * guards (a version, a budget limit) can never be split by another writer.
 */
final class TenantWrites {
    private final Statements sql;
    private final AccessCounter access;

    TenantWrites(Statements sql, AccessCounter access) {
        this.sql = sql;
        this.access = access;
    }

    /** The (scope, user) columns of a scope: app-scope rows have an empty user. */
    static String scopeName(Scope scope) {
        return scope instanceof Scope.User ? "user" : "app";
    }

    static String scopeUser(Scope scope) {
        return scope instanceof Scope.User user ? user.user().value() : "";
    }

    long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) throws SQLException {
        PreparedStatement ps = sql.get("SELECT version FROM scoped_state WHERE tenant = ? AND scope = ? AND user_id = ? AND key = ?");
        bindScopedKey(ps, tenant, scope, key);
        long current;
        try (ResultSet rs = ps.executeQuery()) {
            current = rs.next() ? rs.getLong(1) : 0;
        }
        if (ifVersion != null && ifVersion != current) {
            throw new ConflictException(ConflictException.Reason.VERSION,
                    "state key '" + key + "' is at version " + current + ", not " + ifVersion);
        }
        if (json == null) {
            PreparedStatement delete = sql.get("DELETE FROM scoped_state WHERE tenant = ? AND scope = ? AND user_id = ? AND key = ?");
            bindScopedKey(delete, tenant, scope, key);
            access.wrote(delete.executeUpdate());
            return 0;
        }
        PreparedStatement put = sql.get("INSERT OR REPLACE INTO scoped_state (tenant, scope, user_id, key, json, version) "
                + "VALUES (?, ?, ?, ?, ?, ?)");
        bindScopedKey(put, tenant, scope, key);
        put.setString(5, json);
        put.setLong(6, current + 1);
        put.executeUpdate();
        access.wrote(1);
        return current + 1;
    }

    private static void bindScopedKey(PreparedStatement ps, TenantId tenant, Scope scope, String key) throws SQLException {
        ps.setString(1, tenant.value());
        ps.setString(2, scopeName(scope));
        ps.setString(3, scopeUser(scope));
        ps.setString(4, key);
    }

    void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) throws SQLException {
        for (BudgetLimit limit : limits) {
            long used = used(tenant, limit.key());
            if (used + tokens > limit.limit()) {
                throw new BudgetExceededException(limit.key().toString(), tokens, Math.max(0, limit.limit() - used));
            }
        }
        for (BudgetLimit limit : limits) {
            add(tenant, limit.key(), tokens);
        }
    }

    void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) throws SQLException {
        for (BudgetKey key : keys) {
            add(tenant, key, actual - reserved);
        }
    }

    private long used(TenantId tenant, BudgetKey key) throws SQLException {
        PreparedStatement ps = sql.get("SELECT used FROM budgets WHERE tenant = ? AND level = ? AND id = ?");
        ps.setString(1, tenant.value());
        ps.setString(2, key.level().name());
        ps.setString(3, key.id());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void add(TenantId tenant, BudgetKey key, long tokens) throws SQLException {
        PreparedStatement ps = sql.get("INSERT INTO budgets (tenant, level, id, used) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (tenant, level, id) DO UPDATE SET used = used + excluded.used");
        ps.setString(1, tenant.value());
        ps.setString(2, key.level().name());
        ps.setString(3, key.id());
        ps.setLong(4, tokens);
        ps.executeUpdate();
        access.wrote(1);
    }

    String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) throws SQLException {
        PreparedStatement insert = sql.get("INSERT OR IGNORE INTO user_keys (tenant, user_id, wrapped) VALUES (?, ?, ?)");
        insert.setString(1, tenant.value());
        insert.setString(2, user.value());
        insert.setString(3, wrappedKey);
        access.wrote(insert.executeUpdate());
        PreparedStatement select = sql.get("SELECT wrapped FROM user_keys WHERE tenant = ? AND user_id = ?");
        select.setString(1, tenant.value());
        select.setString(2, user.value());
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Compare-and-set: an erased key (no row) or another value is left alone. */
    boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) throws SQLException {
        PreparedStatement update = sql.get("UPDATE user_keys SET wrapped = ? WHERE tenant = ? AND user_id = ? AND wrapped = ?");
        update.setString(1, newWrapped);
        update.setString(2, tenant.value());
        update.setString(3, user.value());
        update.setString(4, expectedWrapped);
        int rows = update.executeUpdate();
        access.wrote(rows);
        return rows == 1;
    }

    /** Erases what a user has beside their sessions: user-scope state, their budget and their key. */
    void eraseUser(TenantId tenant, UserId user) throws SQLException {
        PreparedStatement state = sql.get("DELETE FROM scoped_state WHERE tenant = ? AND scope = 'user' AND user_id = ?");
        state.setString(1, tenant.value());
        state.setString(2, user.value());
        int rows = state.executeUpdate();
        PreparedStatement budget = sql.get("DELETE FROM budgets WHERE tenant = ? AND level = ? AND id = ?");
        budget.setString(1, tenant.value());
        budget.setString(2, BudgetKey.Level.USER.name());
        budget.setString(3, user.value());
        rows += budget.executeUpdate();
        PreparedStatement key = sql.get("DELETE FROM user_keys WHERE tenant = ? AND user_id = ?");
        key.setString(1, tenant.value());
        key.setString(2, user.value());
        rows += key.executeUpdate();
        access.wrote(rows);
    }
}
