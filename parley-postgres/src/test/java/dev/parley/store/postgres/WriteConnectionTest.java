package dev.parley.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A committer's connection carries the write settings only while the committer holds it: the pool's
 * other users get their connections back as they were (reads plan every execution, decision 73).
 */
class WriteConnectionTest {
    private HikariDataSource pool;
    private Db db;

    @BeforeEach
    void open() {
        TestDatabase.require();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.JDBC_URL);
        config.setUsername(TestDatabase.USER);
        config.setMaximumPoolSize(1);
        config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
        pool = new HikariDataSource(config);
        db = new Db(pool, "parley_test_write_connection", "test", MutableClock.startingAt("2026-01-01T00:00:00Z"));
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theWriteSettingsHoldWhileTheConnectionIsHeldAndAreUndoneWhenItReturnsToThePool() throws SQLException {
        WriteConnection connection = new WriteConnection(db);
        Connection held = connection.get();
        assertThat(held.getAutoCommit()).isFalse();
        for (WriteConnection.Setting s : WriteConnection.WRITE_SETTINGS) {
            assertThat(setting(held, s.name())).as(s.name()).isEqualTo(s.forWrites());
        }
        held.rollback();
        assertThat(connection.get()).as("kept between batches").isSameAs(held);

        connection.release();

        try (Connection next = pool.getConnection()) {
            assertThat(setting(next, "plan_cache_mode")).isEqualTo("force_custom_plan");
            assertThat(setting(next, "enable_seqscan")).isEqualTo("on");
            assertThat(setting(next, "enable_hashjoin")).isEqualTo("on");
            assertThat(next.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aTransactionLeftOpenIsRolledBackBeforeTheConnectionReturns() throws SQLException {
        WriteConnection connection = new WriteConnection(db);
        Connection held = connection.get();
        try (Statement st = held.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE IF NOT EXISTS wc_probe (x int)");
            st.execute("INSERT INTO wc_probe VALUES (1)");
        }
        connection.release();

        try (Connection next = pool.getConnection(); Statement st = next.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'wc_probe'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the uncommitted CREATE was rolled back").isZero();
            }
        }
    }

    @Test
    void aDiscardedConnectionIsNotReusedAndTheNextOneIsSetUpAgain() throws SQLException {
        WriteConnection connection = new WriteConnection(db);
        Connection first = connection.get();
        first.rollback();
        connection.discard();
        assertThat(first.isClosed()).isTrue();

        Connection second = connection.get();
        assertThat(second).isNotSameAs(first);
        assertThat(setting(second, "plan_cache_mode")).isEqualTo("force_generic_plan");
        connection.release();
    }
}
