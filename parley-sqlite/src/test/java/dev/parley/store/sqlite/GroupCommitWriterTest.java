package dev.parley.store.sqlite;

import dev.parley.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who commits (a lone write on an idle writer is committed by its caller; writes that have to wait, by the writer), and
 * what a failing write undoes: its own changes, never those of the writes batched with it.
 */
class GroupCommitWriterTest {
    @TempDir
    Path dir;
    private Connection connection;
    private Statements sql;
    private GroupCommitWriter writer;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("w.db"));
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE t (who TEXT NOT NULL)");
        }
        sql = new Statements(connection);
        writer = new GroupCommitWriter(dir.resolve("w.db"), sql, new SessionCache());
    }

    @AfterEach
    void close() throws Exception {
        writer.close();
        sql.close();
        connection.close();
    }

    /** Inserts the running thread's name, in the batch's transaction, and returns it. */
    private String insertWho() throws SQLException {
        return insert(Thread.currentThread().getName());
    }

    private List<String> committed() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("w.db"));
             Statement statement = reader.createStatement();
             ResultSet rs = statement.executeQuery("SELECT who FROM t ORDER BY rowid")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aLoneWriteOnAnIdleWriterIsCommittedOnItsCallersThread() throws Exception {
        String caller = Thread.currentThread().getName();

        String who = writer.submit("a lone write", this::insertWho);

        assertThat(who).isEqualTo(caller);
        assertThat(committed()).as("durable once submit returned, seen by another connection").containsExactly(caller);
    }

    @Test
    void writesArrivingWhileABatchRunsAreCommittedByTheWriterThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> first = new AtomicReference<>();
        Thread holder = holdWriter(release, first);

        List<AtomicReference<String>> later = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            AtomicReference<String> who = new AtomicReference<>();
            later.add(who);
            threads.add(Thread.ofVirtual().name("late-" + i).start(() -> who.set(writer.submit("late", this::insertWho))));
        }
        Thread.sleep(100);
        release.countDown();
        holder.join();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(first.get()).isEqualTo("holder");
        assertThat(later).allSatisfy(who -> assertThat(who.get()).startsWith("parley-sqlite-writer"));
        assertThat(committed()).hasSize(3);
    }

    @Test
    void aWriteRefusedBeforeWritingFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        Map<String, Object> outcomes = batchOf(() -> {
            throw new IllegalStateException("refused before writing");
        });

        assertThat(failureOf(outcomes)).isInstanceOf(IllegalStateException.class).hasMessage("refused before writing");
        assertOnlyTheFailingWriteIsLost(outcomes);
    }

    @Test
    void aWriteFailingAfterItsChangesHasThemUndoneAndTheRestOfItsBatchCommits() throws Exception {
        Map<String, Object> outcomes = batchOf(() -> {
            insert("failing");
            throw new IllegalStateException("failed after writing");
        });

        assertThat(failureOf(outcomes)).isInstanceOf(IllegalStateException.class).hasMessage("failed after writing");
        assertOnlyTheFailingWriteIsLost(outcomes);
    }

    @Test
    void aWriteFailingInSqliteHasItsChangesUndoneAndTheRestOfItsBatchCommits() throws Exception {
        Map<String, Object> outcomes = batchOf(() -> {
            insert("failing");
            try (var bad = connection.prepareStatement("INSERT INTO t (who) VALUES (NULL)")) {
                bad.executeUpdate();
            }
            return "never";
        });

        assertThat(failureOf(outcomes)).isInstanceOf(StoreException.class).hasMessageContaining("NOT NULL");
        assertOnlyTheFailingWriteIsLost(outcomes);
    }

    /**
     * Runs a write named before, then {@code failing}, then one named after, as one batch on the writer thread (queued
     * while a held write keeps it busy); returns what each caller got, a value or the exception thrown.
     */
    private Map<String, Object> batchOf(GroupCommitWriter.Work<String> failing) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdWriter(release, new AtomicReference<>());

        Map<String, GroupCommitWriter.Work<String>> works = new LinkedHashMap<>();
        works.put("before", () -> insert("before"));
        works.put("failing", failing);
        works.put("after", () -> insert("after"));
        Map<String, Object> outcomes = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (Map.Entry<String, GroupCommitWriter.Work<String>> work : works.entrySet()) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    outcomes.put(work.getKey(), writer.submit(work.getKey(), work.getValue()));
                } catch (RuntimeException e) {
                    outcomes.put(work.getKey(), e);
                }
            }));
            Thread.sleep(20);
        }
        release.countDown();
        holder.join();
        for (Thread thread : threads) {
            thread.join();
        }
        return outcomes;
    }

    private String insert(String who) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO t (who) VALUES (?)")) {
            insert.setString(1, who);
            insert.executeUpdate();
        }
        return who;
    }

    /**
     * Starts a write, on a thread named holder, that keeps the write connection until {@code release} opens, then
     * inserts "holder" and puts it in {@code result}; returns once it holds the connection.
     */
    private Thread holdWriter(CountDownLatch release, AtomicReference<String> result) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().name("holder").start(() -> result.set(writer.submit("held", () -> {
            entered.countDown();
            awaitQuietly(release);
            return insertWho();
        })));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    /** What the failing write's caller got: an exception, else the assertion fails here. */
    private static Throwable failureOf(Map<String, Object> outcomes) {
        assertThat(outcomes.get("failing")).isInstanceOf(Throwable.class);
        return (Throwable) outcomes.get("failing");
    }

    /** The writes around the failing one got their values, and only theirs (and the holder's) rows were committed. */
    private void assertOnlyTheFailingWriteIsLost(Map<String, Object> outcomes) throws SQLException {
        assertThat(outcomes).containsEntry("before", "before").containsEntry("after", "after");
        assertThat(committed()).containsExactly("holder", "before", "after");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
