package dev.parley.cli;

import dev.parley.testing.Services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL the tests use (127.0.0.1:5432, database test, user postgres, trust auth). Every test
 * works in a schema of its own with a random name, dropped afterwards, so parallel runs never meet.
 */
public final class TestPostgres {
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SERVER = "postgres://postgres@127.0.0.1:5432/test";
    private static Boolean reachable;

    private TestPostgres() {
    }

    /** Skips the calling test when the server does not answer, or fails it when PARLEY_REQUIRE_SERVICES=1. */
    public static synchronized void require() {
        if (reachable == null) {
            reachable = probe();
        }
        Services.require("PostgreSQL at 127.0.0.1:5432", reachable,
                "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    /** A schema name no other test uses: {@code prefix_} and 8 random hex digits. */
    public static String freshSchema(String prefix) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + "_" + HexFormat.of().formatHex(random);
    }

    /** The store location of {@code schema}, as {@code --store} and {@code PARLEY_STORE} take it. */
    public static String location(String schema) {
        return SERVER + "?schema=" + schema;
    }

    public static void drop(String schema) throws SQLException {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a schema name: " + schema);
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    private static boolean probe() {
        try (Connection c = connect()) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("PostgreSQL probe failed: " + e.getMessage());
            return false;
        }
    }

    private static Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        return DriverManager.getConnection(JDBC_URL, props);
    }
}
