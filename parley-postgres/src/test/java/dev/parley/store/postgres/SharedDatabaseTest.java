package dev.parley.store.postgres;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two stores on one database stand for two Parley servers: nothing one process holds in memory may
 * decide what the other can do, so every rule here is the database's.
 */
class SharedDatabaseTest {
    private static final String SCHEMA = "parley_test_shared";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("t" + SessionId.random().value().substring(0, 12).toLowerCase());
    private final List<PostgresSessionStore> stores = new ArrayList<>();

    @BeforeEach
    void open() throws SQLException {
        TestDatabase.require();
        TestDatabase.resetOnce(SCHEMA);
        stores.add(PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema(SCHEMA).clock(clock).build());
        stores.add(PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema(SCHEMA).clock(clock).committers(3).build());
    }

    @AfterEach
    void close() {
        stores.forEach(PostgresSessionStore::close);
    }

    private EntryDraft msg(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    @Test
    void appendsFromTwoServersToOneSessionAllLandInOneTotalOrder() throws Exception {
        SessionId id = SessionId.random();
        stores.get(0).create(new NewSession(tenant, id, UserId.of("alice"), clock.instant(), null, null, Map.of(), Map.of(),
                List.of(msg("start"))));
        int threadsPerStore = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerStore);
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            PostgresSessionStore store = stores.get(s);
            for (int t = 0; t < threadsPerStore; t++) {
                String name = "s" + s + "t" + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.write(tenant, id, WriteRequest.builder(clock.instant())
                                .append(Names.MAIN, List.of(msg(name + "-" + i))).build());
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int total = 2 * threadsPerStore * perThread;
        SessionSnapshot snapshot = stores.get(1).find(tenant, id).orElseThrow();
        assertThat(snapshot.info().version()).isEqualTo(1 + total);
        List<Entry> path = stores.get(1).path(tenant, id, snapshot.branch(Names.MAIN).orElseThrow().head(), total + 10);
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
    void budgetsReservedThroughTwoServersNeverOverspend() throws Exception {
        BudgetKey user = new BudgetKey(BudgetKey.Level.USER, "alice");
        List<BudgetLimit> limits = List.of(new BudgetLimit(user, 500));
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            PostgresSessionStore store = stores.get(t % 2);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    try {
                        store.reserve(tenant, limits, 7);
                        granted.incrementAndGet();
                    } catch (BudgetExceededException e) {
                        assertThat(e.available()).isLessThan(7);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(granted).hasValue(500 / 7);
        assertThat(stores.get(0).budgetUsed(tenant, user)).isEqualTo(500 / 7 * 7);
    }

    @Test
    void theDatabaseRefusesAValueIssuedTwiceEvenWhereNoPlannerLooks() {
        SessionId id = SessionId.random();
        SessionImage image = image(id, List.of(new VaultRow("<EMAIL_1>", "same", "a"), new VaultRow("<EMAIL_2>", "same", "b")));
        assertThatThrownBy(() -> stores.get(0).importSession(image))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.VAULT))
                .hasMessageContaining("vault_lookup_key");
        assertThat(stores.get(1).find(tenant, id)).isEmpty();

        SessionImage samePlaceholder = image(id, List.of(new VaultRow("<EMAIL_1>", "a", "a"), new VaultRow("<EMAIL_1>", "b", "b")));
        assertThatThrownBy(() -> stores.get(1).importSession(samePlaceholder))
                .isInstanceOf(ConflictException.class).hasMessageContaining("vault_placeholder_key");
        assertThat(stores.get(0).find(tenant, id)).isEmpty();
    }

    private SessionImage image(SessionId id, List<VaultRow> vault) {
        Entry first = new Entry(EntryId.of(1), null, 1, 1, clock.instant(), EntryKind.MESSAGE,
                new Payload.MessagePayload(Message.user("hi")), null, null, null);
        SessionInfo info = new SessionInfo(tenant, id, UserId.of("alice"), clock.instant(), clock.instant(), null, null, null,
                Map.of(), 2, 1, Names.MAIN, null, Map.of());
        return new SessionImage(info, List.of(new Branch(Names.MAIN, first.id())), List.of(), List.of(first), vault, Map.of());
    }
}
