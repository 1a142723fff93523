package dev.parley.store.sqlite;

import dev.parley.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables and their versions. A database records its version in {@code schema_version};
 * opening it applies the missing steps in order, each in its own transaction, so an upgrade is done
 * in place and an interrupted one resumes where it stopped. Released steps are never edited: a
 * change is a new step at the end.
 */
final class Schema {

    /** Step {@code i} takes a database from version {@code i} to {@code i + 1}. */
    static final List<List<String>> STEPS = List.of(
            // 1: the initial tables. Timestamps are epoch milliseconds; JSON columns hold text.
            // Entries are a rowid table found through a unique (session, seq) index: new rows go to
            // the end of the table, so a commit holding appends to many sessions writes few table
            // pages (clustering the rows by session made each commit rewrite a page per session).
            List.of("""
                    CREATE TABLE schema_version (version INTEGER NOT NULL)""", """
                    CREATE TABLE sessions (
                      pk INTEGER PRIMARY KEY,
                      tenant TEXT NOT NULL,
                      id TEXT NOT NULL,
                      user_id TEXT NOT NULL,
                      created_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL,
                      expires_at INTEGER,
                      absolute_expires_at INTEGER,
                      idle_ttl_ms INTEGER,
                      metadata TEXT NOT NULL,
                      settings TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      last_seq INTEGER NOT NULL,
                      current_branch TEXT NOT NULL,
                      initial_head INTEGER,
                      UNIQUE (tenant, id))""", """
                    CREATE INDEX sessions_by_created ON sessions (tenant, created_at DESC, id DESC)""", """
                    CREATE INDEX sessions_by_user ON sessions (tenant, user_id, created_at DESC, id DESC)""", """
                    CREATE INDEX sessions_by_expiry ON sessions (expires_at) WHERE expires_at IS NOT NULL""", """
                    CREATE TABLE entries (
                      session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                      seq INTEGER NOT NULL,
                      parent INTEGER,
                      depth INTEGER NOT NULL,
                      message_count INTEGER NOT NULL,
                      at INTEGER NOT NULL,
                      kind TEXT NOT NULL,
                      payload TEXT NOT NULL,
                      state_ref INTEGER,
                      summary_ref INTEGER,
                      pins_ref INTEGER)""", """
                    CREATE UNIQUE INDEX entries_by_seq ON entries (session_pk, seq)""", """
                    CREATE TABLE branches (
                      session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                      name TEXT NOT NULL,
                      head INTEGER,
                      PRIMARY KEY (session_pk, name)) WITHOUT ROWID""", """
                    CREATE TABLE checkpoints (
                      session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                      name TEXT NOT NULL,
                      entry INTEGER NOT NULL,
                      note TEXT,
                      at INTEGER NOT NULL,
                      UNIQUE (session_pk, name))""", """
                    CREATE INDEX checkpoints_by_entry ON checkpoints (session_pk, entry)""", """
                    CREATE TABLE vault (
                      session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                      placeholder TEXT NOT NULL,
                      lookup TEXT NOT NULL,
                      ciphertext TEXT NOT NULL,
                      UNIQUE (session_pk, placeholder),
                      UNIQUE (session_pk, lookup))""", """
                    CREATE TABLE idempotency (
                      session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                      key TEXT NOT NULL,
                      hash TEXT NOT NULL,
                      entries TEXT NOT NULL,
                      at INTEGER NOT NULL,
                      pending INTEGER NOT NULL,
                      PRIMARY KEY (session_pk, key)) WITHOUT ROWID""", """
                    CREATE TABLE counters (
                      session_pk INTEGER NOT NULL REFERENCES sessions (pk) ON DELETE CASCADE,
                      name TEXT NOT NULL,
                      value INTEGER NOT NULL,
                      PRIMARY KEY (session_pk, name)) WITHOUT ROWID""", """
                    CREATE TABLE scoped_state (
                      tenant TEXT NOT NULL,
                      scope TEXT NOT NULL,
                      user_id TEXT NOT NULL,
                      key TEXT NOT NULL,
                      json TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      PRIMARY KEY (tenant, scope, user_id, key)) WITHOUT ROWID""", """
                    CREATE TABLE budgets (
                      tenant TEXT NOT NULL,
                      level TEXT NOT NULL,
                      id TEXT NOT NULL,
                      used INTEGER NOT NULL,
                      PRIMARY KEY (tenant, level, id)) WITHOUT ROWID""", """
                    CREATE TABLE user_keys (
                      tenant TEXT NOT NULL,
                      user_id TEXT NOT NULL,
                      wrapped TEXT NOT NULL,
                      PRIMARY KEY (tenant, user_id)) WITHOUT ROWID"""),
            // 2: the sweep of idempotency records older than 24 hours reads them by age.
            List.of("""
                    CREATE INDEX idempotency_by_at ON idempotency (at)"""));

    /** The version this code writes and reads. */
    static final int CURRENT = STEPS.size();

    private Schema() {
    }

    /**
     * Brings the database on {@code connection} (in autocommit mode) to {@link #CURRENT}. Refuses a
     * database of a newer version and a non-empty database that is not Parley's.
     */
    static void upgrade(Connection connection, Path file) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            // A read first: a database that is already current (the usual case) is opened without
            // taking the write lock, so opening never waits for, or blocks, another process's writer.
            if (checkedVersion(sql, file) == CURRENT) {
                return;
            }
            while (true) {
                sql.execute("BEGIN IMMEDIATE");
                boolean done = false;
                try {
                    int version = checkedVersion(sql, file);
                    if (version == CURRENT) {
                        done = true;
                    } else {
                        for (String statement : STEPS.get(version)) {
                            sql.execute(statement);
                        }
                        sql.execute("DELETE FROM schema_version");
                        sql.execute("INSERT INTO schema_version (version) VALUES (" + (version + 1) + ")");
                    }
                    sql.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    rollback(sql, e);
                    throw e;
                }
                if (done) {
                    return;
                }
            }
        }
    }

    /** The database's version, refusing one newer than this code. */
    private static int checkedVersion(Statement sql, Path file) throws SQLException {
        int version = version(sql, file);
        if (version > CURRENT) {
            throw new StoreException("database " + file + " has schema version " + version
                    + ", newer than this version of Parley understands (" + CURRENT + "); use a newer Parley or another file");
        }
        return version;
    }

    /** The database's version; 0 for an empty file. */
    private static int version(Statement sql, Path file) throws SQLException {
        boolean tracked = false;
        int tables = 0;
        try (ResultSet rs = sql.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
            while (rs.next()) {
                tables++;
                tracked |= rs.getString(1).equals("schema_version");
            }
        }
        if (!tracked) {
            if (tables > 0) {
                throw new StoreException("database " + file + " is not a Parley database: it has " + tables
                        + " tables but no schema_version table");
            }
            return 0;
        }
        try (ResultSet rs = sql.executeQuery("SELECT max(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void rollback(Statement sql, Exception failure) {
        try {
            sql.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
