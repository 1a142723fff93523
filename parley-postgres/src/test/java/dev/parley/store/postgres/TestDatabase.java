package dev.parley.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.testing.Services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * The PostgreSQL the tests use (DESIGN §9: 127.0.0.1:5432, database test, user postgres, trust auth).
 * Each test class works in its own schema, dropped once per run so runs never pile up data.
 */
final class TestDatabase {
    static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";
    static final String URL = "postgres://postgres@127.0.0.1:5432/test";

    private static Boolean reachable;
    private static final Set<String> reset = new HashSet<>();
    private static HikariDataSource pool;

    private TestDatabase() {
    }

    /** Skips the calling test when the server does not answer, or fails it when PARLEY_REQUIRE_SERVICES=1. */
    static synchronized void require() {
        if (reachable == null) {
            reachable = probe();
        }
        Services.require("PostgreSQL at 127.0.0.1:5432", reachable,
                "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    private static boolean probe() {
        try (Connection c = connect()) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("PostgreSQL probe failed: " + e.getMessage());
            return false;
        }
    }

    static Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        return DriverManager.getConnection(JDBC_URL, props);
    }

    /** Drops {@code schema} the first time a test of this run asks for it. */
    static synchronized void resetOnce(String schema) throws SQLException {
        if (reset.add(schema)) {
            drop(schema);
        }
    }

    static void drop(String schema) throws SQLException {
        PostgresUrl.requireSchema(schema);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    /** One pool shared by the tests of a run, as an application would share it between stores. */
    static synchronized HikariDataSource pool() {
        if (pool == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(JDBC_URL);
            config.setUsername(USER);
            config.setMaximumPoolSize(12);
            config.setPoolName("parley-test");
            pool = new HikariDataSource(config);
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        }
        return pool;
    }
}
