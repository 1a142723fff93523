package dev.parley.store.redis;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
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
import dev.parley.store.SessionSnapshot;
import dev.parley.store.Target;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two stores on one Redis stand for two Parley servers: each has its own connection and its own
 * in-process locks, so only what Redis checks (the version compare-and-set of every write, the vault
 * re-check inside the script, the budget script) keeps them from losing or duplicating anything.
 */
class SharedRedisTest {
    private static final String PREFIX = TestRedis.newPrefix("shared");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("t" + SessionId.random().value().substring(0, 12));
    private final List<RedisSessionStore> stores = new ArrayList<>();

    @BeforeEach
    void open() {
        TestRedis.require();
        for (int i = 0; i < 2; i++) {
            stores.add(RedisSessionStore.builder().url(TestRedis.URL).keyPrefix(PREFIX).clock(clock).build());
        }
    }

    @AfterEach
    void close() {
        stores.forEach(RedisSessionStore::close);
    }

    @AfterAll
    static void deleteTheKeysOfThisRun() {
        TestRedis.deleteKeys(PREFIX);
    }

    private EntryDraft msg(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private SessionId newSession() {
        SessionId id = SessionId.random();
        stores.getFirst().create(new NewSession(tenant, id, UserId.of("alice"), clock.instant(), null, null, Map.of(), Map.of(),
                List.of(msg("start"))));
        return id;
    }

    /** Runs {@code perStore} tasks on each store at once and waits for all of them. */
    private void onBothServers(int perStore, TaskOnStore task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * perStore);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            for (int t = 0; t < perStore; t++) {
                RedisSessionStore store = stores.get(s);
                String name = "s" + s + "t" + t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    task.run(store, name);
                    return null;
                }));
            }
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    private interface TaskOnStore {
        void run(RedisSessionStore store, String name) throws Exception;
    }

    @Test
    void appendsFromTwoServersToOneSessionAllLandInOneTotalOrder() throws Exception {
        SessionId id = newSession();
        int perStore = 8;
        int perThread = 25;
        onBothServers(perStore, (store, name) -> {
            for (int i = 0; i < perThread; i++) {
                store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(msg(name + "-" + i))).build());
            }
        });

        int total = 2 * perStore * perThread;
        SessionSnapshot snapshot = stores.get(1).find(tenant, id).orElseThrow();
        assertThat(snapshot.info().version()).isEqualTo(1 + total);
        List<Entry> path = stores.get(0).path(tenant, id, snapshot.branch(Names.MAIN).orElseThrow().head(), total + 10);
        assertThat(path).hasSize(total + 1);
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < path.size(); i++) {
            assertThat(path.get(i).seq()).isEqualTo(i + 1);
            assertThat(path.get(i).depth()).isEqualTo(i + 1);
            texts.add(path.get(i).message().orElseThrow().text());
        }
        assertThat(texts).hasSize(total + 1);
    }

    @Test
    void aServerRightAfterItsOwnWriteStillSeesWhatAnotherServerWroteSince() {
        SessionId id = newSession();
        RedisSessionStore first = stores.get(0);
        RedisSessionStore second = stores.get(1);
        first.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(msg("by first"))).build());
        second.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(msg("by second")))
                .op(new PointerOp.SetBranch("side", Target.lastAppended(), PointerOp.Mode.CREATE)).build());
        long version = second.find(tenant, id).orElseThrow().info().version();

        WriteResult result = first.write(tenant, id, WriteRequest.builder(clock.instant()).ifVersion(version)
                .append("side", List.of(msg("on side"))).build());

        assertThat(result.version()).isEqualTo(version + 1);
        assertThat(result.appended().getFirst().parent()).isEqualTo(EntryId.of(3));
        assertThat(second.path(tenant, id, result.appended().getFirst().id(), 10))
                .extracting(e -> e.message().orElseThrow().text()).containsExactly("start", "by first", "by second", "on side");
    }

    @Test
    void twoServersNeverIssueOnePlaceholderTwice() throws Exception {
        SessionId id = newSession();
        AtomicInteger landed = new AtomicInteger();
        onBothServers(8, (store, name) -> {
            try {
                store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(msg("mail <EMAIL_1>")))
                        .vault(List.of(new VaultRow("<EMAIL_1>", "lookup-" + name, "ct-" + name))).build());
                landed.incrementAndGet();
            } catch (ConflictException e) {
                assertThat(e.reason()).isEqualTo(ConflictException.Reason.VAULT);
            }
        });
        assertThat(landed).hasValue(1);
        assertThat(stores.get(1).vault(tenant, id)).hasSize(1);
        assertThat(stores.get(0).entries(tenant, id, 0, 100)).hasSize(2);
    }

    @Test
    void conditionalWritesFromTwoServersOnTheSameHeadLetExactlyOneLand() throws Exception {
        SessionId id = newSession();
        EntryId seen = stores.get(0).find(tenant, id).orElseThrow().branch(Names.MAIN).orElseThrow().head();
        AtomicInteger landed = new AtomicInteger();
        onBothServers(8, (store, name) -> {
            try {
                store.write(tenant, id, WriteRequest.builder(clock.instant()).ifHead(Names.MAIN, seen)
                        .append(Names.MAIN, List.of(msg("turn " + name))).build());
                landed.incrementAndGet();
            } catch (ConflictException e) {
                assertThat(e.reason()).isEqualTo(ConflictException.Reason.HEAD);
            }
        });
        assertThat(landed).hasValue(1);
        assertThat(stores.get(1).entries(tenant, id, 0, 100)).hasSize(2);
    }

    @Test
    void budgetsReservedThroughTwoServersNeverOverspend() throws Exception {
        BudgetKey user = new BudgetKey(BudgetKey.Level.USER, "alice");
        List<BudgetLimit> limits = List.of(new BudgetLimit(user, 500));
        AtomicInteger granted = new AtomicInteger();
        onBothServers(4, (store, name) -> {
            for (int i = 0; i < 10; i++) {
                try {
                    store.reserve(tenant, limits, 7);
                    granted.incrementAndGet();
                } catch (BudgetExceededException e) {
                    assertThat(e.available()).isLessThan(7);
                }
            }
        });
        assertThat(granted).hasValue(500 / 7);
        assertThat(stores.get(1).budgetUsed(tenant, user)).isEqualTo(500 / 7 * 7);
    }
}
