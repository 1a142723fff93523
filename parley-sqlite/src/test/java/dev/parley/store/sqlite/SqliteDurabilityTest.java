package dev.parley.store.sqlite;

import dev.parley.NotFoundException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.PointerOp;
import dev.parley.store.Scope;
import dev.parley.store.Target;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteDurabilityTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("acme");
    private final UserId alice = UserId.of("alice");

    private EntryDraft message(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private void createSession(SqliteSessionStore store, SessionId id) {
        store.create(new NewSession(tenant, id, alice, clock.instant(), null, null, Map.of("title", "t"), Map.of(), List.of()));
    }

    private void append(SqliteSessionStore store, SessionId id, String text) {
        store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(message(text))).build());
    }

    private List<String> texts(SqliteSessionStore store, SessionId id) {
        return store.entries(tenant, id, 0, 10_000).stream().map(e -> e.message().orElseThrow().text()).toList();
    }

    @Test
    void theWriterCommitsToAWriteAheadLogWithAFullSyncOnEveryCommit() {
        try (SqliteSessionStore store = new SqliteSessionStore(dir.resolve("parley.db"), clock)) {
            assertThat(store.writerPragma("journal_mode")).isEqualTo("wal");
            assertThat(store.writerPragma("synchronous")).as("2 is FULL").isEqualTo("2");
            assertThat(store.writerPragma("foreign_keys")).isEqualTo("1");
            assertThat(Integer.parseInt(store.writerPragma("busy_timeout"))).isPositive();
        }
    }

    @Test
    void everythingWrittenIsThereAfterCloseAndReopen() {
        Path file = dir.resolve("parley.db");
        SessionId id = SessionId.of("kept");
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock)) {
            createSession(store, id);
            append(store, id, "one");
            append(store, id, "two");
            store.write(tenant, id, WriteRequest.builder(clock.instant())
                    .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), "note", clock.instant()))
                    .op(new PointerOp.SetBranch("alt", Target.at(EntryId.of(1)), PointerOp.Mode.CREATE))
                    .counter("messages.user", 2).build());
            store.putScoped(tenant, Scope.user(alice), "lang", "\"en\"", null);
            store.reserve(tenant, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.USER, "alice"), 100)), 40);
            store.userKeyIfAbsent(tenant, alice, "wrapped");
        }
        try (SqliteSessionStore store = new SqliteSessionStore(file, clock)) {
            assertThat(texts(store, id)).containsExactly("one", "two");
            assertThat(store.find(tenant, id).orElseThrow().branches()).containsOnlyKeys(Names.MAIN, "alt");
            assertThat(store.find(tenant, id).orElseThrow().info().version()).isEqualTo(4);
            assertThat(store.checkpoint(tenant, id, "cp").orElseThrow().entry()).isEqualTo(EntryId.of(2));
            assertThat(store.counters(tenant, id)).isEqualTo(Map.of("messages.user", 2L));
            assertThat(store.scopedValue(tenant, Scope.user(alice), "lang").orElseThrow().value()).isEqualTo("\"en\"");
            assertThat(store.budgetUsed(tenant, new BudgetKey(BudgetKey.Level.USER, "alice"))).isEqualTo(40);
            assertThat(store.userKey(tenant, alice)).contains("wrapped");
            append(store, id, "three");
            assertThat(store.path(tenant, id, EntryId.of(3), 10)).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void manyWritersOnManySessionsAllLandInOrderPerSession() throws Exception {
        int writers = 48;
        int perWriter = 40;
        try (SqliteSessionStore store = new SqliteSessionStore(dir.resolve("parley.db"), clock)) {
            List<SessionId> ids = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                SessionId id = SessionId.of("s" + w);
                createSession(store, id);
                ids.add(id);
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (SessionId id : ids) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        append(store, id, id.value() + "-" + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();

            for (SessionId id : ids) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    expected.add(id.value() + "-" + i);
                }
                assertThat(texts(store, id)).as("session %s", id).isEqualTo(expected);
                assertThat(store.find(tenant, id).orElseThrow().info().version()).isEqualTo(1 + perWriter);
            }
        }
    }

    @Test
    void aFailingRequestInABatchLeavesTheOthersOfTheBatchStanding() throws Exception {
        int threads = 32;
        try (SqliteSessionStore store = new SqliteSessionStore(dir.resolve("parley.db"), clock)) {
            SessionId id = SessionId.of("shared");
            createSession(store, id);
            AtomicInteger landed = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        // Odd threads name a branch that does not exist: their writes fail inside the batch.
                        String branch = thread % 2 == 0 ? Names.MAIN : "missing";
                        try {
                            store.write(tenant, id, WriteRequest.builder(clock.instant())
                                    .append(branch, List.of(message("t" + thread + "-" + i))).build());
                            landed.incrementAndGet();
                        } catch (NotFoundException e) {
                            refused.incrementAndGet();
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

            assertThat(landed).hasValue(threads / 2 * 10);
            assertThat(refused).hasValue(threads / 2 * 10);
            List<Entry> all = store.entries(tenant, id, 0, 10_000);
            assertThat(all).hasSize(threads / 2 * 10);
            assertThat(all).extracting(Entry::seq).isEqualTo(LongStream.rangeClosed(1, all.size()).boxed().toList());
            assertThat(store.path(tenant, id, store.find(tenant, id).orElseThrow().branch(Names.MAIN).orElseThrow().head(), 10_000))
                    .hasSize(all.size());
        }
    }

    @Test
    void writesByAnotherProcessBetweenOursAreSeenByOurWriter() {
        Path file = dir.resolve("parley.db");
        SessionId id = SessionId.of("shared");
        try (SqliteSessionStore ours = new SqliteSessionStore(file, clock);
             SqliteSessionStore theirs = new SqliteSessionStore(file, clock)) {
            createSession(ours, id);
            append(ours, id, "ours 1");
            append(theirs, id, "theirs 1");
            append(ours, id, "ours 2");
            theirs.write(tenant, id, WriteRequest.builder(clock.instant())
                    .op(new PointerOp.SetBranch("alt", Target.head(Names.MAIN), PointerOp.Mode.CREATE)).build());
            append(ours, id, "ours 3");

            assertThat(texts(ours, id)).containsExactly("ours 1", "theirs 1", "ours 2", "ours 3");
            assertThat(ours.path(tenant, id, EntryId.of(4), 10)).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(ours.find(tenant, id).orElseThrow().branches()).containsOnlyKeys(Names.MAIN, "alt");
            assertThat(ours.find(tenant, id).orElseThrow().info().version()).isEqualTo(6);
        }
    }

    @Test
    void aClosedStoreRefusesWritesNamingTheFile() {
        Path file = dir.resolve("parley.db");
        SqliteSessionStore store = new SqliteSessionStore(file, clock);
        createSession(store, SessionId.of("a"));
        store.close();
        store.close();
        assertThatThrownBy(() -> append(store, SessionId.of("a"), "late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the SQLite store " + file + " is closed");
    }
}
