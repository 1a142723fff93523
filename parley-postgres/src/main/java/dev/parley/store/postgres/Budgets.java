package dev.parley.store.postgres;

import dev.parley.BudgetExceededException;
import dev.parley.InvalidInputException;
import dev.parley.domain.TenantId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/** Lifetime token budgets: counters changed only by atomic conditional statements, never read-modify-write. */
final class Budgets {
    private final Db db;

    Budgets(Db db) {
        this.db = db;
    }

    /** Budget rows are locked in one order by every reserver, so reservations of overlapping budgets cannot deadlock. */
    private static final Comparator<BudgetKey> LOCK_ORDER = Comparator.comparing(BudgetKey::level).thenComparing(BudgetKey::id);

    /**
     * All or nothing: one conditional upsert per budget ({@code used + tokens <= limit}) in one
     * transaction; the first budget that cannot cover the tokens rolls the others back.
     */
    void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        if (tokens < 0) {
            throw new InvalidInputException("tokens", "tokens to reserve must be >= 0: " + tokens);
        }
        List<BudgetLimit> ordered = limits.stream().sorted(Comparator.comparing(BudgetLimit::key, LOCK_ORDER)).toList();
        db.tx("reserve " + tokens + " tokens", c -> {
            for (BudgetLimit limit : ordered) {
                try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO $S.budgets AS t (tenant, level, id, used)"
                        + " SELECT ?, ?, ?, ? WHERE ? <= ? ON CONFLICT (tenant, level, id)"
                        + " DO UPDATE SET used = t.used + excluded.used WHERE t.used + excluded.used <= ?"))) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, limit.key().level().name());
                    ps.setString(3, limit.key().id());
                    ps.setLong(4, tokens);
                    ps.setLong(5, tokens);
                    ps.setLong(6, limit.limit());
                    ps.setLong(7, limit.limit());
                    if (ps.executeUpdate() == 0) {
                        long used = used(c, tenant, limit.key());
                        throw new BudgetExceededException(limit.key().toString(), tokens, Math.max(0, limit.limit() - used));
                    }
                    db.access().wrote(1);
                }
            }
            return null;
        });
    }

    void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        long delta = actual - reserved;
        if (delta == 0) {
            return;
        }
        List<BudgetKey> ordered = keys.stream().sorted(LOCK_ORDER).toList();
        db.tx("settle " + actual + " of " + reserved + " reserved tokens", c -> {
            for (BudgetKey key : ordered) {
                try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO $S.budgets AS t (tenant, level, id, used)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (tenant, level, id) DO UPDATE SET used = t.used + excluded.used"))) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, key.level().name());
                    ps.setString(3, key.id());
                    ps.setLong(4, delta);
                    db.access().wrote(ps.executeUpdate());
                }
            }
            return null;
        });
    }

    long budgetUsed(TenantId tenant, BudgetKey key) {
        return db.autocommit("read budget " + key, c -> used(c, tenant, key));
    }

    private long used(Connection c, TenantId tenant, BudgetKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql(
                "SELECT used FROM $S.budgets WHERE tenant = ? AND level = ? AND id = ?"))) {
            ps.setString(1, tenant.value());
            ps.setString(2, key.level().name());
            ps.setString(3, key.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0L;
                }
                db.access().read(1);
                return rs.getLong(1);
            }
        }
    }
}
