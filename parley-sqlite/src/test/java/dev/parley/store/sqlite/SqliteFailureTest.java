package dev.parley.store.sqlite;

import dev.parley.StoreException;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.Scope;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteFailureTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("acme");
    private final SessionId id = SessionId.of("s1");

    private EntryDraft message(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private WriteRequest append(String... texts) {
        return WriteRequest.builder(clock.instant())
                .append(Names.MAIN, Arrays.stream(texts).map(this::message).toList()).build();
    }

    /** A database holding one session with one message. */
    private Path seeded() {
        Path file = dir.resolve("parley.db");
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock)) {
            store.create(new NewSession(tenant, id, UserId.of("alice"), clock.instant(), null, null, Map.of(), Map.of(),
                    List.of(message("first"))));
        }
        return file;
    }

    @Test
    void aReadOnlyDatabaseCanBeReadButEveryWriteFailsNamingTheFileAndChangesNothing() {
        Path file = seeded();
        // SQLite opens a write-protected file read-only; the test opens it that way itself because
        // file permissions do not bind the root user that CI runs as.
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock, config -> config.setReadOnly(true))) {
            SessionSnapshot before = store.find(tenant, id).orElseThrow();

            assertThatThrownBy(() -> store.write(tenant, id, append("second")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("database " + file + " is read-only; nothing was written");
            assertThatThrownBy(() -> store.putScoped(tenant, Scope.app(), "k", "1", null))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("is read-only");

            assertThat(store.find(tenant, id).orElseThrow()).isEqualTo(before);
            assertThat(store.entries(tenant, id, 0, 10)).hasSize(1);
        }
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock)) {
            assertThat(store.entries(tenant, id, 0, 10)).hasSize(1);
            assertThat(store.scopedState(tenant, Scope.app())).isEmpty();
        }
    }

    private long pageCount(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void whenTheDiskFillsUnderManyWritersExactlyTheAcknowledgedWritesAreStored() throws Exception {
        Path file = dir.resolve("parley.db");
        int writers = 16;
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock)) {
            for (int w = 0; w < writers; w++) {
                store.create(new NewSession(tenant, SessionId.of("w" + w), UserId.of("alice"), clock.instant(), null, null,
                        Map.of(), Map.of(), List.of()));
            }
        }
        int room = (int) pageCount(file) + 24;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock, config -> config.setMaxPageCount(room))) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                SessionId session = SessionId.of("w" + w);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 40; i++) {
                        String text = session.value() + "-" + i + "-" + "y".repeat(2_000);
                        try {
                            store.write(tenant, session, append(text));
                            acknowledged.add(text);
                        } catch (StoreException e) {
                            failures.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(failures).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage()).contains("disk full writing " + file));
            Set<String> stored = new HashSet<>();
            for (int w = 0; w < writers; w++) {
                store.entries(tenant, SessionId.of("w" + w), 0, 1_000).forEach(e -> stored.add(e.message().orElseThrow().text()));
            }
            assertThat(stored).isEqualTo(acknowledged);
        }
    }

    @Test
    void aFullDiskFailsTheWriteWithAClearErrorLeavesNothingHalfWrittenAndTheStoreKeepsWorking() throws Exception {
        Path file = seeded();
        // The file may grow by a few pages, as if the disk had only that much room left.
        int room = (int) pageCount(file) + 4;
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock, config -> config.setMaxPageCount(room))) {
            SessionSnapshot before = store.find(tenant, id).orElseThrow();
            String large = "x".repeat(20_000);

            assertThatThrownBy(() -> store.write(tenant, id, append("small", large, large, large)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("disk full writing " + file + "; nothing was written");

            assertThat(store.find(tenant, id).orElseThrow()).isEqualTo(before);
            assertThat(store.entries(tenant, id, 0, 10)).hasSize(1);
            store.write(tenant, id, append("fits"));
            assertThat(store.entries(tenant, id, 0, 10)).extracting(e -> e.message().orElseThrow().text())
                    .containsExactly("first", "fits");
        }
    }
}
