package dev.parley.store.postgres;

import dev.parley.ParleyException;
import dev.parley.StoreException;
import dev.parley.store.AccessCounter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The store's handle on its database: connections, the schema its SQL names, its clock and its
 * access counter, and the one way to run a transaction (retried when the database aborted it to
 * resolve a deadlock, never retried once COMMIT was sent).
 */
final class Db {
    private static final int ATTEMPTS = 8;

    private final DataSource dataSource;
    private final String quotedSchema;
    private final String describe;
    private final Clock clock;
    private final AccessCounter access = new AccessCounter();
    private volatile boolean closed;

    Db(DataSource dataSource, String schema, String describe, Clock clock) {
        this.dataSource = dataSource;
        this.quotedSchema = '"' + schema + '"';
        this.describe = describe;
        this.clock = clock;
    }

    /** {@code template} with every {@code $S.} naming this store's schema. */
    String sql(String template) {
        return template.replace("$S.", quotedSchema + ".");
    }

    String describe() {
        return describe;
    }

    Instant now() {
        return clock.instant();
    }

    AccessCounter access() {
        return access;
    }

    Connection connection() throws SQLException {
        if (closed) {
            throw new StoreException("the store on " + describe + " is closed");
        }
        return dataSource.getConnection();
    }

    /** From now on every operation fails: the store's pool may be shared and outlive it. */
    void close() {
        closed = true;
    }

    ParleyException failure(SQLException e, String what) {
        return SqlErrors.map(e, what, describe);
    }

    /** Runs {@code work} outside a transaction (each statement commits on its own): for reads of one statement. */
    <T> T autocommit(String what, SqlWork<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e, what);
        } catch (SqlFailure e) {
            throw failure(e.getCause(), what);
        }
    }

    /**
     * Runs {@code work} in one READ COMMITTED transaction and commits it. A Parley exception thrown by
     * {@code work} rolls back and propagates; a deadlock or serialization failure runs it again.
     */
    <T> T tx(String what, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                T result;
                try {
                    result = work.run(c);
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    throw new StoreException(what + ": COMMIT failed on " + describe
                            + ", so the change may or may not have been applied (" + e.getMessage() + ")", e);
                }
                return result;
            } catch (SqlFailure e) {
                if (!retryable(e.getCause(), attempt)) {
                    throw failure(e.getCause(), what);
                }
            } catch (SQLException e) {
                if (!retryable(e, attempt)) {
                    throw failure(e, what);
                }
            }
        }
    }

    private static boolean retryable(SQLException e, int attempt) {
        if (!SqlErrors.retriable(e) || attempt >= ATTEMPTS) {
            return false;
        }
        backOff(attempt);
        return true;
    }

    /** A short random pause, growing with the attempt, so transactions that deadlocked do not meet again at once. */
    static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to retry a transaction", e);
        }
    }

    /** Rolls back after {@code cause}; a failing rollback is recorded on {@code cause}, which is what the caller sees. */
    static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
