package dev.parley.store.sqlite;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.BudgetKey;
import dev.parley.store.Scope;
import dev.parley.store.Versioned;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads of what a tenant holds beyond single sessions: summed counters, scoped state, budgets and users' keys. */
final class TenantReads {
    private final ReadConnections connections;
    private final Clock clock;
    private final AccessCounter access;

    TenantReads(ReadConnections connections, Clock clock, AccessCounter access) {
        this.connections = connections;
        this.clock = clock;
        this.access = access;
    }

    private long now() {
        return clock.instant().toEpochMilli();
    }

    Map<String, Long> sumCounters(TenantId tenant, UserId user) {
        String sql = "SELECT c.name, sum(c.value) FROM sessions s JOIN counters c ON c.session_pk = s.pk"
                + " WHERE s.tenant = ? AND " + Rows.LIVE + (user == null ? "" : " AND s.user_id = ?") + " GROUP BY c.name";
        return connections.read("summing counters", c -> {
            PreparedStatement ps = c.get(sql);
            ps.setString(1, tenant.value());
            ps.setLong(2, now());
            if (user != null) {
                ps.setString(3, user.value());
            }
            Map<String, Long> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            access.read(out.size());
            return out;
        });
    }

    Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        return connections.read("reading " + TenantWrites.scopeName(scope) + " state", c -> {
            PreparedStatement ps = c.get(
                    "SELECT key, json, version FROM scoped_state WHERE tenant = ? AND scope = ? AND user_id = ?");
            ps.setString(1, tenant.value());
            ps.setString(2, TenantWrites.scopeName(scope));
            ps.setString(3, TenantWrites.scopeUser(scope));
            Map<String, Versioned<String>> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Versioned<>(rs.getString(2), rs.getLong(3)));
                }
            }
            access.read(out.size());
            return Map.copyOf(out);
        });
    }

    Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        return connections.read("reading " + TenantWrites.scopeName(scope) + " state", c -> {
            PreparedStatement ps = c.get(
                    "SELECT json, version FROM scoped_state WHERE tenant = ? AND scope = ? AND user_id = ? AND key = ?");
            ps.setString(1, tenant.value());
            ps.setString(2, TenantWrites.scopeName(scope));
            ps.setString(3, TenantWrites.scopeUser(scope));
            ps.setString(4, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                access.read(1);
                return Optional.of(new Versioned<>(rs.getString(1), rs.getLong(2)));
            }
        });
    }

    long budgetUsed(TenantId tenant, BudgetKey key) {
        return connections.read("reading budget " + key, c -> {
            PreparedStatement ps = c.get("SELECT used FROM budgets WHERE tenant = ? AND level = ? AND id = ?");
            ps.setString(1, tenant.value());
            ps.setString(2, key.level().name());
            ps.setString(3, key.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    Optional<String> userKey(TenantId tenant, UserId user) {
        return connections.read("reading the key of user " + user, c -> {
            PreparedStatement ps = c.get("SELECT wrapped FROM user_keys WHERE tenant = ? AND user_id = ?");
            ps.setString(1, tenant.value());
            ps.setString(2, user.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }
}
