package dev.parley.bench.postgres;

import dev.parley.store.postgres.PostgresUrl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the PostgreSQL suite at tiny sizes against the test server (127.0.0.1:5432, database test), so a broken
 * measurement or report fails the build rather than the next real run. Skipped when the server does not answer, failed
 * instead when {@code PARLEY_REQUIRE_SERVICES=1} (as in CI), like the stores' own tests.
 */
class PostgresRunSmokeTest {
    private static final PostgresUrl URL = PostgresUrl.parse("postgres://postgres@127.0.0.1:5432/test?schema=parley_bench_smoke");

    @TempDir
    Path dir;

    @Test
    void twoRunsTheirMedianAndTheServerSettingsEndUpInTheReportAndTheSchemaIsDroppedAfterwards() throws Exception {
        requireServer();
        PostgresOptions tiny = new PostgresOptions(URL, 4, 0.5, 0.2, 2, 2, true, false, false, 4, 200, dir);

        Path report = PostgresRun.run(tiny, new PrintStream(OutputStream.nullOutputStream()));

        String md = Files.readString(report);
        assertThat(report.getFileName().toString()).startsWith("postgres-").endsWith(".md");
        assertThat(md).contains("`synchronous_commit=", "`fsync=", "`wal_sync_method=", "`shared_buffers=", "## Runs", "| 1 | ", "| 2 | ",
                "| **median** |", "group commit with 2 committers and a gather window of 200 µs, a pool of 4 connections", "4 virtual threads",
                "**not judged** (this run had 4 writers", "No failed writes: **met**");
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'parley_bench_smoke'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the run's schema is dropped after it").isZero();
        }
    }

    @Test
    void aSecondRunOnTheSameSchemaStopsAtOnceInsteadOfDroppingTheFirstOnesTables() throws Exception {
        requireServer();
        try (Server first = Server.connect(URL)) {
            assertThatThrownBy(() -> Server.connect(URL)).isInstanceOf(Server.Unavailable.class)
                    .hasMessage("schema parley_bench_smoke at postgres://postgres@127.0.0.1:5432/test?schema=parley_bench_smoke is in use by"
                            + " another parley-bench postgres run; wait for it to end or name another schema in --url");
        }
        Server.connect(URL).close();
    }

    @Test
    void anUnreachableServerStopsTheRunWithAMessageNamingTheUrl() {
        PostgresUrl nowhere = PostgresUrl.parse("postgres://postgres@127.0.0.1:1/test?schema=parley_bench_smoke");
        PostgresOptions options = new PostgresOptions(nowhere, 1, 1, 0, 1, 2, true, false, false, 4, 200, dir);

        assertThatThrownBy(() -> PostgresRun.run(options, new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(Server.Unavailable.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/test?schema=parley_bench_smoke: ")
                .hasMessageNotContaining("\n");
        assertThat(dir).isEmptyDirectory();
    }

    private static void requireServer() {
        boolean reachable;
        try (Connection c = connect()) {
            reachable = c.isValid(2);
        } catch (SQLException e) {
            reachable = false;
        }
        if (!reachable && "1".equals(System.getenv("PARLEY_REQUIRE_SERVICES"))) {
            throw new AssertionError("PostgreSQL at 127.0.0.1:5432 is not reachable and PARLEY_REQUIRE_SERVICES=1");
        }
        Assumptions.assumeTrue(reachable, "PostgreSQL at 127.0.0.1:5432 is not reachable; skipping. Set PARLEY_REQUIRE_SERVICES=1 to fail instead.");
    }

    private static Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(URL.jdbcUrl(), props);
    }
}
