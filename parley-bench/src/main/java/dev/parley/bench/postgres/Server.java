package dev.parley.bench.postgres;

import dev.parley.store.postgres.PostgresUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The benchmark's own connection to the server, beside the store's pool: what the server is and how it is set up, the
 * schema the benchmark owns, and which of the server's processes do the store's work.
 */
final class Server implements AutoCloseable {
    /** The settings that decide what a durable commit costs. */
    static final List<String> SETTINGS = List.of("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers");

    /** The server cannot be reached, refuses the connection, or another run holds the schema; the message says which, on one line. */
    static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final PostgresUrl url;
    private final Connection connection;

    private Server(PostgresUrl url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    static Server connect(PostgresUrl url) throws Unavailable {
        Properties props = new Properties();
        props.setProperty("user", url.user());
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "parley-bench");
        Connection connection;
        try {
            connection = DriverManager.getConnection(url.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new Unavailable("cannot connect to PostgreSQL at " + url + ": " + firstLine(e.getMessage()), e);
        }
        try {
            claim(connection, url);
            return new Server(url, connection);
        } catch (SQLException | Unavailable e) {
            closeQuietly(connection, e);
            throw e instanceof Unavailable u ? u
                    : new Unavailable("PostgreSQL at " + url + " failed before the run: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Two runs on one schema would drop each other's tables in the middle of a measurement: a run holds an advisory lock
     * on its schema's name for as long as this connection lives, and a second run on the same schema stops at once.
     */
    private static void claim(Connection connection, PostgresUrl url) throws SQLException, Unavailable {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            s.setString(1, "parley-bench postgres " + url.schema());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new Unavailable("schema " + url.schema() + " at " + url + " is in use by another parley-bench postgres run;"
                            + " wait for it to end or name another schema in --url", null);
                }
            }
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** {@code PostgreSQL 15.4 (Debian 15.4-1)}: the server's version as it reports it. */
    String version() throws SQLException {
        return "PostgreSQL " + query("SHOW server_version").getFirst();
    }

    /** {@link #SETTINGS}, as the server has them for this database and user. */
    Map<String, String> settings() throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : SETTINGS) {
            settings.put(name, query("SHOW " + name).getFirst());
        }
        return settings;
    }

    /** The server's data directory, if this user may see it (superusers and {@code pg_read_all_settings}). */
    Optional<String> dataDirectory() {
        try {
            return Optional.of(query("SHOW data_directory").getFirst());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Drops the benchmark's schema and everything in it; the name is one {@link PostgresUrl} accepted, so quoting it is safe. */
    void dropSchema() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + url.schema() + "\" CASCADE");
        }
    }

    /** The server processes serving the connections named {@code applicationName} in this database: the store's pool. */
    List<Long> backends(String applicationName) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?"
                + " AND datname = current_database()")) {
            s.setString(1, applicationName);
            return pids(s.executeQuery());
        }
    }

    /**
     * The server's own processes (WAL writer, checkpointer, background writer, autovacuum): they work for every client of
     * the server, so their CPU is the store's only while nothing else uses the server.
     */
    List<Long> backgroundProcesses() throws SQLException {
        try (Statement s = connection.createStatement()) {
            return pids(s.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'"));
        }
    }

    private static List<Long> pids(ResultSet rs) throws SQLException {
        try (rs) {
            List<Long> pids = new ArrayList<>();
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
            return pids;
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
