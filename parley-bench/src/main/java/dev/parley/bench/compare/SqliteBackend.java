package dev.parley.bench.compare;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.sqlite.SqliteSessionStore;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One SQLite file per system in one directory on a real disk. The peers' connections get the settings
 * Parley's store runs with, WAL and {@code synchronous=FULL}, so that every append of every system is
 * on disk when it returns; sqlite-jdbc's default (a rollback journal with {@code synchronous=FULL})
 * would also be durable but slower, and {@code NORMAL} would not be durable at all.
 */
final class SqliteBackend implements Backend {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path dir;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<ChatSystem> systems = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();

    SqliteBackend(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try {
            systems.add(new ParleyChat(new SqliteSessionStore(dir.resolve("parley.db"), Clock.systemUTC()),
                    "Parley `SqliteSessionStore` (file `parley.db`: WAL, `synchronous=FULL`, group commit by one writer thread, "
                            + "sessions cached and validated by `PRAGMA data_version`); append = `Session.add(List.of(user, assistant))`, "
                            + "read = `Session.last(20)`"));
            systems.add(new SpringAiChat(pool("spring-full.db"), "sqlite", true, storage("spring-full.db", "Spring AI's `schema-sqlite.sql`")));
            systems.add(new SpringAiChat(pool("spring-win20.db"), "sqlite", false, storage("spring-win20.db", "Spring AI's `schema-sqlite.sql`")));
            systems.add(new LangChain4jChat(DocumentChatMemoryStore.create(pool("lc4j-full.db"), "chat_memory"), true,
                    storage("lc4j-full.db", "`DocumentChatMemoryStore`, one JSON document per memory id")));
            systems.add(new LangChain4jChat(DocumentChatMemoryStore.create(pool("lc4j-win20.db"), "chat_memory"), false,
                    storage("lc4j-win20.db", "`DocumentChatMemoryStore`, one JSON document per memory id")));
            settings.add("sqlite-jdbc " + Versions.SQLITE_JDBC + "; files in `" + dir + "` on " + fileSystem(dir) + ", one per system");
            settings.add("Durability, the same for every system: WAL, `synchronous=FULL` (read back from a peer connection: "
                    + readBack(pools.getFirst()) + "); every append is on disk when it returns");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String storage(String file, String layout) {
        return "file `" + file + "` (" + layout + "), HikariCP pool of 4 over sqlite-jdbc with WAL, `synchronous=FULL`, busy timeout 10 s";
    }

    private DataSource pool(String file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve(file));
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName("bench-" + file);
        HikariDataSource pool = new HikariDataSource(hikari);
        pools.add(pool);
        return pool;
    }

    private static String readBack(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String journal;
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                journal = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                int synchronous = rs.getInt(1);
                if (!"wal".equalsIgnoreCase(journal) || synchronous != 2) {
                    throw new IllegalStateException("a peer's SQLite connection runs with journal_mode=" + journal
                            + ", synchronous=" + synchronous + " instead of wal and 2 (FULL)");
                }
                return "`journal_mode=" + journal + "`, `synchronous=" + synchronous + "` (FULL)";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the peers' SQLite settings back: " + e.getMessage(), e);
        }
    }

    private static String fileSystem(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "an unknown file system (" + e.getMessage() + ")";
        }
    }

    @Override
    public String name() {
        return "SQLite";
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
        cleanup.run(() -> {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        });
        cleanup.rethrow("cannot clean up the SQLite part of the comparison in " + dir);
    }
}
