package dev.parley.store.sqlite;

import dev.parley.StoreException;
import dev.parley.domain.EntryId;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteSchemaTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static int version(Statement sql) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT version FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean hasIndex(Statement sql, String name) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = '" + name + "'")) {
            return rs.next();
        }
    }

    @Test
    void aNewFileIsCreatedAtTheCurrentVersionWithItsParentDirectories() throws Exception {
        Path file = dir.resolve("a/b/parley.db");
        new SqliteSessionStore(file, clock).close();
        try (Connection c = raw(file); Statement sql = c.createStatement()) {
            assertThat(version(sql)).isEqualTo(Schema.CURRENT);
            try (ResultSet rs = sql.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
        }
    }

    @Test
    void aVersion1DatabaseIsUpgradedInPlaceAndKeepsItsData() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = raw(file); Statement sql = c.createStatement()) {
            for (String statement : Schema.STEPS.getFirst()) {
                sql.execute(statement);
            }
            sql.execute("INSERT INTO schema_version (version) VALUES (1)");
            sql.execute("INSERT INTO sessions (pk, tenant, id, user_id, created_at, updated_at, metadata, settings, version, "
                    + "last_seq, current_branch, initial_head) VALUES (1, 'acme', 'old-session', 'alice', 1767225600000, "
                    + "1767225600000, '{\"title\":\"kept\"}', '{}', 1, 1, 'main', 1)");
            sql.execute("INSERT INTO entries (session_pk, seq, parent, depth, message_count, at, kind, payload) VALUES "
                    + "(1, 1, NULL, 1, 1, 1767225600000, 'MESSAGE', "
                    + "'{\"message\":{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"from version 1\"}]}}')");
            sql.execute("INSERT INTO branches (session_pk, name, head) VALUES (1, 'main', 1)");
            assertThat(hasIndex(sql, "idempotency_by_at")).isFalse();
        }

        try (SqliteSessionStore store = new SqliteSessionStore(file, clock)) {
            TenantId acme = TenantId.of("acme");
            SessionId id = SessionId.of("old-session");
            assertThat(store.find(acme, id).orElseThrow().info().metadata()).containsEntry("title", "kept");
            assertThat(store.entry(acme, id, EntryId.of(1)).orElseThrow().message().orElseThrow().text()).isEqualTo("from version 1");
            assertThat(store.find(acme, id).orElseThrow().branch(Names.MAIN).orElseThrow().head()).isEqualTo(EntryId.of(1));
        }
        try (Connection c = raw(file); Statement sql = c.createStatement()) {
            assertThat(version(sql)).isEqualTo(Schema.CURRENT);
            assertThat(hasIndex(sql, "idempotency_by_at")).isTrue();
        }
    }

    @Test
    void aDatabaseOfANewerVersionIsRefusedWithAClearMessageAndLeftAlone() throws Exception {
        Path file = dir.resolve("future.db");
        new SqliteSessionStore(file, clock).close();
        int future = Schema.CURRENT + 1;
        try (Connection c = raw(file); Statement sql = c.createStatement()) {
            sql.execute("UPDATE schema_version SET version = " + future);
        }

        assertThatThrownBy(() -> new SqliteSessionStore(file, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("schema version " + future)
                .hasMessageContaining("newer than this version of Parley understands (" + Schema.CURRENT + ")");
        try (Connection c = raw(file); Statement sql = c.createStatement()) {
            assertThat(version(sql)).isEqualTo(future);
        }
    }

    @Test
    void aSqliteFileThatIsNotParleysIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("other-app.db");
        try (Connection c = raw(file); Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
        }
        assertThatThrownBy(() -> new SqliteSessionStore(file, clock))
                .isInstanceOf(StoreException.class)
                .hasMessage("database " + file + " is not a Parley database: it has 1 tables but no schema_version table");
        try (Connection c = raw(file); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "these are my notes, not a database; ".repeat(200));
        assertThatThrownBy(() -> new SqliteSessionStore(file, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("file " + file + " is not a valid SQLite database or is corrupt");
        assertThat(Files.readString(file)).startsWith("these are my notes");
    }
}
