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
    static final List<Setting> WRITE_SETTINGS = List.of(
            new Setting("plan_cache_mode", "force_generic_plan"),
            new Setting("enable_seqscan", "off"),
            new Setting("enable_bitmapscan", "off"),
            new Setting("enable_hashjoin", "off"),
            new Setting("enable_mergejoin", "off"));

    /** A server setting and the value write transactions need. */
    record Setting(String name, String forWrites) {
    }

    /** Reads every write setting and sets each to its bound value, in one statement (a materialised CTE reads first). */
    private static final String SWAP = "WITH old AS MATERIALIZED (SELECT "
            + String.join(", ", WRITE_SETTINGS.stream().map(s -> "current_setting('" + s.name() + "') AS " + s.name()).toList())
            + ") SELECT old.*, "
            + String.join(", ", WRITE_SETTINGS.stream().map(s -> "set_config('" + s.name() + "', ?, false)").toList())
            + " FROM old";
    private static final String[] FOR_WRITES = WRITE_SETTINGS.stream().map(Setting::forWrites).toArray(String[]::new);

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
                saved = swapSettings(c, FOR_WRITES);
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

    /** Sets the write settings to {@code values} (in {@link #WRITE_SETTINGS} order), returning what they were. */
    private static String[] swapSettings(Connection c, String[] values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SWAP)) {
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
