package dev.parley.store.sqlite;

import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer connection and its prepared statements, each compiled once and reused for the life of
 * the store: the writer runs the same dozen statements for every request, so compiling them again
 * would cost more than running them. Used by one thread at a time (for the writer connection: whoever holds
 * the writer's lock).
 */
final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Statements(Connection connection) {
        this.connection = connection;
    }

    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /**
     * How many rows INSERT, UPDATE and DELETE statements on this connection have changed since it opened (SQLite's
     * {@code total_changes()}), read without running a statement.
     */
    long totalChanges() throws SQLException {
        return connection.unwrap(SQLiteConnection.class).getDatabase().total_changes();
    }

    /** Runs a statement without parameters or results (transaction control, pragmas). */
    void run(String sql) throws SQLException {
        get(sql).execute();
    }

    /**
     * Forgets every compiled statement; they are compiled again when next used. Called after a
     * failure: the driver finalizes a statement whose execution failed, so a cached one may be dead.
     */
    void forgetStatements() throws SQLException {
        SQLException failure = closeStatements();
        if (failure != null) {
            throw failure;
        }
    }

    private SQLException closeStatements() {
        SQLException failure = null;
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        prepared.clear();
        return failure;
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = closeStatements();
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
