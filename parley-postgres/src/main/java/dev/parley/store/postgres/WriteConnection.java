package dev.parley.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The connection one committer runs its write transactions on, kept from batch to batch while writes
 * keep coming and given back to the pool when they stop (decision 96). It is set up for writes once
 * when taken, not in every transaction: the settings that pin the writes' plans cost a round trip
 * per batch as {@code SET LOCAL}. They are put back as they were before the connection returns to the
 * pool, so the pool's other users (reads plan every execution, decision 73) never see them.
 */
final class WriteConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteConnection.class);

    /**
     * Settings of every write transaction. Its statements only ever probe primary keys with arrays of keys, so
     * one plan fits every call: planned once per connection (a generic plan) instead of at each execution, which
     * cost a third of the database's CPU per append; and pinned to index probes and nested loops, so a plan made
     * while the tables were nearly empty cannot scan them whole once they are large (decision 85).
     */
    static final List<String[]> WRITE_SETTINGS = List.of(
            new String[] {"plan_cache_mode", "force_generic_plan"},
            new String[] {"enable_seqscan", "off"},
            new String[] {"enable_bitmapscan", "off"},
            new String[] {"enable_hashjoin", "off"},
            new String[] {"enable_mergejoin", "off"});

    /** A connection is given back this often even under constant load, so the pool can retire old ones. */
    static final Duration MAX_HOLD = Duration.ofSeconds(60);

    private final Db db;
    private Connection held;
    private String[] saved;
    private long takenAtNanos;

    WriteConnection(Db db) {
        this.db = db;
    }

    /** The connection, taken from the pool and set up for writes if none is held; autocommit off. */
    Connection get() throws SQLException {
        if (held != null && System.nanoTime() - takenAtNanos > MAX_HOLD.toNanos()) {
            release();
        }
        if (held == null) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(true);
                saved = swapSettings(c, values());
                c.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c, e);
                throw e;
            }
            held = c;
            takenAtNanos = System.nanoTime();
        }
        return held;
    }

    /** Gives the connection back to the pool with its settings as they were. */
    void release() {
        Connection c = held;
        if (c == null) {
            return;
        }
        held = null;
        try {
            c.rollback();
            c.setAutoCommit(true);
            swapSettings(c, saved);
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not restore a write connection's settings; closing it", e);
            closeQuietly(c, e);
        }
    }

    /** The connection may be broken or in an unknown state: close it instead of keeping it. */
    void discard() {
        Connection c = held;
        held = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("closing a write connection after a failure; the pool discards it", e);
            }
        }
    }

    @Override
    public void close() {
        release();
    }

    private static String[] values() {
        return WRITE_SETTINGS.stream().map(s -> s[1]).toArray(String[]::new);
    }

    /** Sets the write settings to {@code values} (in {@link #WRITE_SETTINGS} order), returning what they were. */
    private static String[] swapSettings(Connection c, String[] values) throws SQLException {
        StringBuilder sql = new StringBuilder("WITH old AS MATERIALIZED (SELECT ");
        for (int i = 0; i < WRITE_SETTINGS.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("current_setting('").append(WRITE_SETTINGS.get(i)[0]).append("') AS o").append(i);
        }
        sql.append(") SELECT old.*");
        for (int i = 0; i < WRITE_SETTINGS.size(); i++) {
            sql.append(", set_config('").append(WRITE_SETTINGS.get(i)[0]).append("', ?, false)");
        }
        sql.append(" FROM old");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] old = new String[WRITE_SETTINGS.size()];
                for (int i = 0; i < old.length; i++) {
                    old[i] = rs.getString(i + 1);
                }
                return old;
            }
        }
    }

    private static void closeQuietly(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
