package dev.parley.bench.compare;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.postgres.PostgresSessionStore;
import dev.parley.store.postgres.PostgresUrl;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL database, one schema per system, created for the run and dropped after it; nothing
 * outside those schemas is touched. Every system commits each append with the server's settings
 * ({@code synchronous_commit} as configured, normally {@code on}), through a HikariCP pool of 10
 * connections at READ COMMITTED, Parley's own pool included.
 */
final class PostgresBackend implements Backend {
    private static final int POOL = 10;

    private final PostgresUrl location;
    private final Connection admin;
    private final List<String> schemas = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<ChatSystem> systems = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();

    /**
     * @param url   {@code postgres://user@host:port/database}; any schema in it is ignored
     * @param runId makes this run's schema names unique: {@code bench_<runId>_<system>}
     * @throws SQLException when the server cannot be reached (the caller skips PostgreSQL)
     */
    PostgresBackend(String url, String runId) throws SQLException {
        this.location = PostgresUrl.parse(url);
        this.admin = DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
        try {
            String prefix = "bench_" + runId + "_";
            settings.add(server());
            schemas.add(prefix + "parley");
            systems.add(new ParleyChat(PostgresSessionStore.builder().url(withSchema(prefix + "parley")).poolSize(POOL).build(),
                    "Parley `PostgresSessionStore` (schema `" + prefix + "parley`, created by the store; pool of " + POOL
                            + ", group commit); append = `Session.add(List.of(user, assistant))`, read = `Session.last(20)`"));
            systems.add(new SpringAiChat(pool(prefix + "spring_full"), "postgresql", true,
                    storage(prefix + "spring_full", "Spring AI's `schema-postgresql.sql`")));
            systems.add(new SpringAiChat(pool(prefix + "spring_win20"), "postgresql", false,
                    storage(prefix + "spring_win20", "Spring AI's `schema-postgresql.sql`")));
            systems.add(new LangChain4jChat(DocumentChatMemoryStore.create(pool(prefix + "lc4j_full"), "chat_memory"), true,
                    storage(prefix + "lc4j_full", "`DocumentChatMemoryStore`: one `TEXT` JSON document per memory id")));
            systems.add(new LangChain4jChat(DocumentChatMemoryStore.create(pool(prefix + "lc4j_win20"), "chat_memory"), false,
                    storage(prefix + "lc4j_win20", "`DocumentChatMemoryStore`: one `TEXT` JSON document per memory id")));
            settings.add("pgjdbc " + Versions.PGJDBC + "; every system in its own schema of database `" + location.database()
                    + "`, each through a HikariCP pool of " + POOL + " connections (READ COMMITTED); the schemas are dropped after the run");
        } catch (RuntimeException | SQLException e) {
            close();
            throw e;
        }
    }

    private PostgresUrl withSchema(String schema) {
        return new PostgresUrl(location.user(), location.password(), location.host(), location.port(), location.database(), schema);
    }

    private String server() throws SQLException {
        StringBuilder line = new StringBuilder();
        try (Statement s = admin.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                line.append("PostgreSQL ").append(rs.getString(1)).append(" at ").append(location.host()).append(':').append(location.port());
            }
            line.append("; durability, the same for every system:");
            for (String setting : List.of("fsync", "synchronous_commit", "wal_sync_method", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    line.append(" `").append(setting).append('=').append(rs.getString(1)).append('`');
                }
            }
        }
        return line.append(" (every commit waits for its WAL flush)").toString();
    }

    private String storage(String schema, String layout) {
        return "schema `" + schema + "` (" + layout + "), HikariCP pool of " + POOL;
    }

    private DataSource pool(String schema) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        schemas.add(schema);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(location.jdbcUrl());
        hikari.setUsername(location.user());
        hikari.setPassword(location.password());
        hikari.setSchema(schema);
        hikari.setMaximumPoolSize(POOL);
        hikari.setPoolName("bench-" + schema);
        HikariDataSource pool = new HikariDataSource(hikari);
        pools.add(pool);
        return pool;
    }

    /**
     * {@code ANALYZE}s every table of every system, as after any bulk load. Without it, plans that
     * pooled connections cached while the tables were nearly empty (during the warm-up) stay in use until
     * autovacuum gets round to analysing them: Parley's recursive path query then kept a plan that
     * scans the whole entries table, about 0.8 s per read at 180 000 entries.
     */
    @Override
    public String afterSeeding() {
        try (Statement s = admin.createStatement()) {
            for (String schema : schemas) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    s.execute("ANALYZE \"" + schema + "\".\"" + table + "\"");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot analyse the seeded tables: " + e.getMessage(), e);
        }
        return "every system's tables `ANALYZE`d after seeding, as after any bulk load";
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public List<String> settings() {
        return settings;
    }

    @Override
    public List<ChatSystem> systems() {
        return systems;
    }

    @Override
    public void close() {
        Cleanup cleanup = new Cleanup();
        systems.forEach(system -> cleanup.run(system::close));
        pools.forEach(pool -> cleanup.run(pool::close));
        for (String schema : schemas) {
            cleanup.run(() -> {
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            });
        }
        cleanup.run(admin::close);
        cleanup.rethrow("cannot clean up the PostgreSQL part of the comparison (schemas " + schemas + ")");
    }
}
