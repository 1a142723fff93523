package dev.parley.store.sqlite;

import dev.parley.StoreException;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of read-only connections, opened with the store and closed with it, each keeping its
 * compiled statements. A local file's connections never go stale, so nothing here validates,
 * replaces or grows them; what matters is that a read reuses a compiled statement (compiling the
 * recursive walk cost more than running it).
 */
final class ReadConnections implements AutoCloseable {

    @FunctionalInterface
    interface Query<T> {
        T run(Statements sql) throws SQLException;
    }

    private final Path file;
    private final List<Statements> all = new ArrayList<>();
    private final BlockingQueue<Statements> idle;
    private volatile boolean closed;

    ReadConnections(Path file, String url, SQLiteConfig config, int size) throws SQLException {
        this.file = file;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Statements connection = new Statements(config.createConnection(url));
                all.add(connection);
                idle.add(connection);
            }
        } catch (SQLException e) {
            close(e);
            throw e;
        }
    }

    /** {@link #read(Query)}, a failure turned into the store's exception naming {@code what} was being read. */
    <T> T read(String what, Query<T> query) {
        try {
            return read(query);
        } catch (SQLException e) {
            throw SqliteErrors.translate(file, what, e);
        }
    }

    <T> T read(Query<T> query) throws SQLException {
        if (closed) {
            throw new IllegalStateException("the SQLite store " + file + " is closed");
        }
        Statements connection;
        try {
            connection = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection to read " + file, e);
        }
        try {
            return query.run(connection);
        } catch (SQLException e) {
            // The driver finalizes a statement whose execution failed; compile them all afresh.
            try {
                connection.forgetStatements();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        } finally {
            idle.add(connection);
        }
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        SQLException failure = null;
        for (Statements connection : all) {
            try {
                connection.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void close(SQLException cause) {
        for (Statements connection : all) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
