package dev.parley.store;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract: every {@link SessionStore} subclasses this and must pass all of it against its
 * real backend. It checks the invariants of the design (atomic O(1) appends, O(k) reads, O(1)
 * pointers, concurrency, conditional writes, idempotency, TTL, deletion, tenant isolation,
 * pagination, vault uniqueness, scoped state, budgets, counters, import). Costs are checked by
 * counting entries touched ({@link SessionStore#accessCounter()}), never by timing.
 *
 * <p>Each test works in a fresh random tenant, so stores on a shared server need no cleanup between tests.
 */
public abstract class SessionStoreContract {

    /** A new store over the backend under test, using {@code clock} for expiry. */
    protected abstract SessionStore newStore(MutableClock clock);

    protected MutableClock clock;
    protected SessionStore store;
    protected TenantId tenant;
    protected final UserId alice = UserId.of("alice");
    protected final UserId bob = UserId.of("bob");

    @BeforeEach
    void openStore() {
        clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
        store = newStore(clock);
        tenant = TenantId.of("t" + SessionId.random().value().substring(0, 12));
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    protected Instant now() {
        return clock.instant();
    }

    protected static EntryDraft draft(Instant at, Message message) {
        return new EntryDraft(at, EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }

    protected EntryDraft msg(String text) {
        return draft(now(), Message.user(text));
    }

    protected SessionSnapshot create(SessionId id, UserId user, EntryDraft... initial) {
        return store.create(new NewSession(tenant, id, user, now(), null, null, Map.of("title", "t"), Map.of(), List.of(initial)));
    }

    protected SessionId newSession(EntryDraft... initial) {
        SessionId id = SessionId.random();
        create(id, alice, initial);
        return id;
    }

    protected WriteResult append(SessionId id, String branch, EntryDraft... drafts) {
        return store.write(tenant, id, WriteRequest.builder(now()).append(branch, List.of(drafts)).build());
    }

    protected WriteResult append(SessionId id, String text) {
        return append(id, Names.MAIN, msg(text));
    }

    /** Seeds {@code n} entries on main in a few large writes. */
    protected void seed(SessionId id, int n) {
        for (int done = 0; done < n; ) {
            int batch = Math.min(1000, n - done);
            List<EntryDraft> drafts = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                drafts.add(draft(now(), (done + i) % 2 == 0 ? Message.user("question " + (done + i))
                        : Message.assistant("answer " + (done + i))));
            }
            store.write(tenant, id, WriteRequest.builder(now()).append(Names.MAIN, drafts).build());
            done += batch;
        }
    }

    protected SessionSnapshot snapshot(SessionId id) {
        return store.find(tenant, id).orElseThrow();
    }

    protected EntryId head(SessionId id, String branch) {
        return snapshot(id).branch(branch).orElseThrow().head();
    }

    protected List<Entry> all(SessionId id) {
        return store.entries(tenant, id, 0, Integer.MAX_VALUE);
    }

    protected long touched(Runnable operation) {
        long before = store.accessCounter().touched();
        operation.run();
        return store.accessCounter().touched() - before;
    }

    // ---- creation -----------------------------------------------------------------------------------

    @Test
    void createStoresTheSessionWithItsInitialEntriesOnMain() {
        SessionId id = SessionId.of("first-session");
        SessionSnapshot created = create(id, alice, draft(now(), Message.system("Be brief.")), draft(now(), Message.user("Hi")));

        SessionSnapshot found = snapshot(id);
        assertThat(found).isEqualTo(created);
        SessionInfo info = found.info();
        assertThat(info.tenant()).isEqualTo(tenant);
        assertThat(info.user()).isEqualTo(alice);
        assertThat(info.createdAt()).isEqualTo(now());
        assertThat(info.metadata()).containsEntry("title", "t");
        assertThat(info.version()).isEqualTo(1);
        assertThat(info.lastSeq()).isEqualTo(2);
        assertThat(info.initialHead()).isEqualTo(EntryId.of(2));
        assertThat(found.branch(Names.MAIN).orElseThrow().head()).isEqualTo(EntryId.of(2));
        List<Entry> entries = all(id);
        assertThat(entries).extracting(Entry::seq).containsExactly(1L, 2L);
        assertThat(entries.get(1).parent()).isEqualTo(EntryId.of(1));
        assertThat(entries.get(1).depth()).isEqualTo(2);
        assertThat(entries.get(1).message().orElseThrow().text()).isEqualTo("Hi");
    }

    @Test
    void aSessionWithoutInitialEntriesHasAnEmptyMain() {
        SessionId id = newSession();
        assertThat(snapshot(id).branch(Names.MAIN).orElseThrow().head()).isNull();
        assertThat(snapshot(id).info().initialHead()).isNull();
        WriteResult first = append(id, "hello");
        assertThat(first.appended().getFirst().parent()).isNull();
        assertThat(first.appended().getFirst().depth()).isEqualTo(1);
    }

    @Test
    void creatingATakenIdConflictsAndChangesNothing() {
        SessionId id = newSession(msg("original"));
        assertThatThrownBy(() -> create(id, bob, msg("other")))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.ALREADY_EXISTS));
        assertThat(snapshot(id).info().user()).isEqualTo(alice);
        assertThat(all(id)).singleElement().satisfies(e -> assertThat(e.message().orElseThrow().text()).isEqualTo("original"));
    }

    @Test
    void anUnknownSessionIsReportedAsNotFound() {
        SessionId missing = SessionId.of("missing");
        assertThat(store.find(tenant, missing)).isEmpty();
        assertThatThrownBy(() -> append(missing, "x")).isInstanceOf(NotFoundException.class).hasMessage("no session missing");
        assertThatThrownBy(() -> store.entries(tenant, missing, 0, 10)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.path(tenant, missing, EntryId.of(1), 10)).isInstanceOf(NotFoundException.class);
        assertThat(store.delete(tenant, missing)).isFalse();
    }

    // ---- appends ------------------------------------------------------------------------------------

    @Test
    void anAppendOfSeveralEntriesIsOneAtomicChainAndLeavesEarlierEntriesUntouched() {
        SessionId id = newSession(msg("a"), msg("b"));
        List<Entry> before = all(id);

        WriteResult result = append(id, Names.MAIN, msg("c"), draft(now(), Message.assistant("d")), msg("e"));

        assertThat(result.replayed()).isFalse();
        assertThat(result.version()).isEqualTo(2);
        assertThat(result.appended()).extracting(Entry::seq).containsExactly(3L, 4L, 5L);
        assertThat(result.appended()).extracting(Entry::parent).containsExactly(EntryId.of(2), EntryId.of(3), EntryId.of(4));
        assertThat(result.appended()).extracting(Entry::depth).containsExactly(3, 4, 5);
        assertThat(all(id).subList(0, 2)).isEqualTo(before);
        assertThat(all(id).subList(2, 5)).isEqualTo(result.appended());
        assertThat(head(id, Names.MAIN)).isEqualTo(EntryId.of(5));
        assertThat(snapshot(id).info().lastSeq()).isEqualTo(5);
    }

    @Test
    void aFailedWriteChangesNothingEvenWhenItsFirstPartsWouldHaveWorked() {
        SessionId id = newSession(msg("a"));
        SessionSnapshot before = snapshot(id);
        WriteRequest request = WriteRequest.builder(now()).append(Names.MAIN, List.of(msg("b"), msg("c")))
                .op(new PointerOp.SetBranch("other", Target.lastAppended(), PointerOp.Mode.CREATE))
                .op(new PointerOp.DeleteBranch("no-such-branch"))
                .build();
        assertThatThrownBy(() -> store.write(tenant, id, request)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no branch no-such-branch");
        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(all(id)).hasSize(1);
        assertThat(append(id, "b").appended().getFirst().seq()).isEqualTo(2);
    }

    @Test
    void entriesCarryTheirPathsMessageCountAndTheLatestStateSummaryAndPinRefs() {
        SessionId id = newSession(msg("a"));
        Map<String, String> snapshot = Map.of("k", "1");
        Entry state = append(id, Names.MAIN, new EntryDraft(now(), EntryKind.STATE,
                new Payload.StatePayload(snapshot, Set.of(), snapshot))).appended().getFirst();
        Entry summary = append(id, Names.MAIN, new EntryDraft(now(), EntryKind.SUMMARY,
                new Payload.SummaryPayload("a was said", EntryId.of(1), EntryId.of(1)))).appended().getFirst();
        Entry pin = append(id, Names.MAIN, new EntryDraft(now(), EntryKind.PIN,
                new Payload.PinsPayload(EntryId.of(1), new TreeSet<>(Set.of(EntryId.of(1)))))).appended().getFirst();
        Entry last = append(id, "b").appended().getFirst();

        assertThat(last.stateRef()).isEqualTo(state.id());
        assertThat(last.summaryRef()).isEqualTo(summary.id());
        assertThat(last.pinsRef()).isEqualTo(pin.id());
        assertThat(last.depth()).isEqualTo(5);
        assertThat(last.messageCount()).isEqualTo(2);
        assertThat(store.entry(tenant, id, state.id()).orElseThrow().payload()).isEqualTo(state.payload());
        assertThat(store.entry(tenant, id, pin.id()).orElseThrow()).isEqualTo(pin);
    }

    @Test
    void everyPayloadKindAndPartTypeRoundTripsThroughTheStore() {
        Message rich = new Message(Role.ASSISTANT, List.of(new Part.Text("Let me check. "),
                new Part.ToolCall("call_1", "weather", "{\"city\":\"Zürich\"}"),
                new Part.ImageRef("https://example.com/a.png", "image/png"),
                new Part.Opaque("anthropic", "claude-x", "{\"type\":\"thinking\",\"signature\":\"abc\"}")),
                "planner", Map.of("lang", "de"));
        Message result = new Message(Role.TOOL, List.of(new Part.ToolResult("call_1", "22°C ☀", true)), null, Map.of());
        SessionId id = newSession(draft(now(), rich), draft(now(), result));
        assertThat(all(id)).extracting(e -> e.message().orElseThrow()).containsExactly(rich, result);
    }

    @Test
    void readingTheLastEntriesOfAPathReturnsThemOldestFirstAndStopsAtTheRoot() {
        SessionId id = newSession();
        seed(id, 50);
        EntryId head = head(id, Names.MAIN);
        List<Entry> last = store.path(tenant, id, head, 5);
        assertThat(last).extracting(Entry::seq).containsExactly(46L, 47L, 48L, 49L, 50L);
        assertThat(store.path(tenant, id, EntryId.of(3), 10)).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(store.path(tenant, id, head, 0)).isEmpty();
        assertThatThrownBy(() -> store.path(tenant, id, EntryId.of(999), 5)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void readingAPathOrAPageWithBadArgumentsIsRefusedByName() {
        SessionId id = newSession();
        seed(id, 3);
        EntryId head = head(id, Names.MAIN);
        // An empty branch has no head: callers ask for its path only when there is one, and a null is refused by name
        // on every store, not turned into an error about something else.
        assertThatThrownBy(() -> store.path(tenant, id, null, 5))
                .isInstanceOf(NullPointerException.class).hasMessage("head");
        assertThatThrownBy(() -> store.path(tenant, id, head, -1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit must be >= 0: -1");
        assertThatThrownBy(() -> store.entries(tenant, id, 0, -1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit must be >= 0: -1");
        assertThat(store.path(tenant, id, head, 5)).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void entriesArePagedInSeqOrder() {
        SessionId id = newSession();
        seed(id, 25);
        assertThat(store.entries(tenant, id, 0, 10)).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(store.entries(tenant, id, 20, 10)).extracting(Entry::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(store.entries(tenant, id, 25, 10)).isEmpty();
    }

    // ---- costs: counted, never timed -----------------------------------------------------------------

    @Test
    void appendsReadsAndPointerOperationsCostTheSameAt10And10000Entries() {
        SessionId small = newSession();
        seed(small, 10);
        SessionId large = newSession();
        seed(large, 10_000);

        for (SessionId id : List.of(small, large)) {
            store.write(tenant, id, WriteRequest.builder(now())
                    .op(new PointerOp.AddCheckpoint("mark", Target.head(Names.MAIN), null, now())).build());
        }
        assertThat(costs(large)).as("costs at 10 000 entries vs at 10").isEqualTo(costs(small));
    }

    private List<Long> costs(SessionId id) {
        EntryId head = head(id, Names.MAIN);
        EntryId past = EntryId.of(head.value() - 5);
        List<Long> costs = new ArrayList<>();
        costs.add(touched(() -> append(id, Names.MAIN, msg("q"), draft(now(), Message.assistant("a")))));
        costs.add(touched(() -> store.path(tenant, id, head(id, Names.MAIN), 8)));
        costs.add(touched(() -> store.entry(tenant, id, past)));
        costs.add(touched(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("b" + id.value().length(), Target.at(past), PointerOp.Mode.CREATE)).build())));
        costs.add(touched(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), null, now())).build())));
        costs.add(touched(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.PreserveHead(Names.MAIN, now()))
                .op(new PointerOp.SetBranch(Names.MAIN, Target.at(store.checkpoint(tenant, id, "mark").orElseThrow().entry()),
                        PointerOp.Mode.MOVE)).build())));
        costs.add(touched(() -> store.write(tenant, id, WriteRequest.builder(now())
                .appendAt(Target.at(past), List.of(msg("fork")))
                .op(new PointerOp.SetBranch("fork", Target.lastAppended(), PointerOp.Mode.CREATE)).build())));
        return costs;
    }

    // ---- concurrency ---------------------------------------------------------------------------------

    @Test
    void thirtyTwoThreadsAppendingToOneSessionAllLandInOneTotalOrder() throws Exception {
        SessionId id = newSession(draft(now(), Message.system("sys")));
        int threads = 32;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    WriteResult r = append(id, Names.MAIN, msg("t" + thread + "-" + i));
                    acknowledged.add(r.appended().getFirst().seq());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int total = threads * perThread;
        assertThat(acknowledged).hasSize(total).doesNotHaveDuplicates();
        List<Entry> path = store.path(tenant, id, head(id, Names.MAIN), total + 10);
        assertThat(path).hasSize(total + 1);
        for (int i = 1; i < path.size(); i++) {
            assertThat(path.get(i).parent()).isEqualTo(path.get(i - 1).id());
            assertThat(path.get(i).seq()).isGreaterThan(path.get(i - 1).seq());
            assertThat(path.get(i).depth()).isEqualTo(i + 1);
        }
        assertThat(path.stream().skip(1).map(Entry::seq).toList()).containsExactlyInAnyOrderElementsOf(acknowledged);
        Set<String> texts = new HashSet<>();
        path.stream().skip(1).forEach(e -> texts.add(e.message().orElseThrow().text()));
        assertThat(texts).hasSize(total);
        assertThat(snapshot(id).info().version()).isEqualTo(1 + total);
    }

    // ---- conditional writes ---------------------------------------------------------------------------

    @Test
    void aWriteConditionalOnAStaleVersionConflictsAndChangesNothing() {
        SessionId id = newSession(msg("a"));
        long version = snapshot(id).info().version();
        append(id, "b");
        SessionSnapshot before = snapshot(id);

        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now()).ifVersion(version)
                .append(Names.MAIN, List.of(msg("c"))).build()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("version " + (version + 1) + ", not " + version)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.VERSION));
        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(all(id)).hasSize(2);

        WriteResult ok = store.write(tenant, id, WriteRequest.builder(now()).ifVersion(before.info().version())
                .append(Names.MAIN, List.of(msg("c"))).build());
        assertThat(ok.version()).isEqualTo(before.info().version() + 1);
    }

    @Test
    void aWriteConditionalOnAStaleHeadConflictsAndChangesNothing() {
        SessionId id = newSession(msg("a"));
        EntryId seen = head(id, Names.MAIN);
        append(id, "b");
        SessionSnapshot before = snapshot(id);

        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now()).ifHead(Names.MAIN, seen)
                .append(Names.MAIN, List.of(msg("c"))).build()))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.HEAD));
        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(all(id)).hasSize(2);
    }

    @Test
    void concurrentConditionalWritesOnTheSameHeadLetExactlyOneLand() throws Exception {
        SessionId id = newSession(msg("a"));
        EntryId seen = head(id, Names.MAIN);
        AtomicInteger landed = new AtomicInteger();
        AtomicInteger conflicted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    store.write(tenant, id, WriteRequest.builder(now()).ifHead(Names.MAIN, seen)
                            .append(Names.MAIN, List.of(msg("turn " + thread))).build());
                    landed.incrementAndGet();
                } catch (ConflictException e) {
                    conflicted.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(landed).hasValue(1);
        assertThat(conflicted).hasValue(15);
        assertThat(all(id)).hasSize(2);
    }

    // ---- idempotency ---------------------------------------------------------------------------------

    @Test
    void retryingWithTheSameIdempotencyKeyReturnsTheOriginalEntriesWithoutWritingAgain() {
        SessionId id = newSession();
        Idempotency idem = new Idempotency("req-1", "hash-a");
        WriteResult first = store.write(tenant, id, WriteRequest.builder(now()).idempotency(idem)
                .append(Names.MAIN, List.of(msg("q"), draft(now(), Message.assistant("a")))).build());
        clock.advance(Duration.ofMinutes(5));
        WriteResult retry = store.write(tenant, id, WriteRequest.builder(now()).idempotency(idem)
                .append(Names.MAIN, List.of(msg("q"), draft(now(), Message.assistant("a")))).build());

        assertThat(retry.replayed()).isTrue();
        assertThat(retry.appended()).isEqualTo(first.appended());
        assertThat(all(id)).hasSize(2);
        assertThat(snapshot(id).info().version()).isEqualTo(first.version());
    }

    @Test
    void reusingAnIdempotencyKeyForADifferentRequestIsRejectedAndChangesNothing() {
        SessionId id = newSession();
        store.write(tenant, id, WriteRequest.builder(now()).idempotency(new Idempotency("req-1", "hash-a"))
                .append(Names.MAIN, List.of(msg("q"))).build());
        SessionSnapshot before = snapshot(id);
        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now())
                .idempotency(new Idempotency("req-1", "hash-b")).append(Names.MAIN, List.of(msg("other"))).build()))
                .isInstanceOf(IdempotencyMismatchException.class).hasMessageContaining("req-1");
        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(all(id)).hasSize(1);
    }

    @Test
    void idempotencyKeysAreScopedBySession() {
        SessionId a = newSession();
        SessionId b = newSession();
        Idempotency idem = new Idempotency("same-key", "h");
        store.write(tenant, a, WriteRequest.builder(now()).idempotency(idem).append(Names.MAIN, List.of(msg("x"))).build());
        WriteResult other = store.write(tenant, b, WriteRequest.builder(now()).idempotency(idem)
                .append(Names.MAIN, List.of(msg("x"))).build());
        assertThat(other.replayed()).isFalse();
        assertThat(all(b)).hasSize(1);
    }

    @Test
    void aClaimedKeyIsPendingUntilItsWriteCompletesOrItIsReleased() {
        SessionId id = newSession();
        assertThat(store.claimIdempotency(tenant, id, "turn-1", "h", now())).isEmpty();
        assertThat(store.claimIdempotency(tenant, id, "turn-1", "h", now())).hasValueSatisfying(r -> {
            assertThat(r.pending()).isTrue();
            assertThat(r.requestHash()).isEqualTo("h");
        });
        WriteResult written = store.write(tenant, id, WriteRequest.builder(now()).idempotency(new Idempotency("turn-1", "h"))
                .append(Names.MAIN, List.of(msg("q"))).build());
        assertThat(written.replayed()).isFalse();
        assertThat(store.claimIdempotency(tenant, id, "turn-1", "h", now())).hasValueSatisfying(r -> {
            assertThat(r.pending()).isFalse();
            assertThat(r.entries()).containsExactly(written.appended().getFirst().id());
        });

        assertThat(store.claimIdempotency(tenant, id, "turn-2", "h2", now())).isEmpty();
        store.releaseIdempotency(tenant, id, "turn-2");
        assertThat(store.claimIdempotency(tenant, id, "turn-2", "h2", now())).isEmpty();
    }

    @Test
    void idempotencyRecordsAreSweptAfter24Hours() {
        SessionId id = newSession();
        Idempotency idem = new Idempotency("req-1", "hash-a");
        store.write(tenant, id, WriteRequest.builder(now()).idempotency(idem).append(Names.MAIN, List.of(msg("q"))).build());
        clock.advance(Duration.ofHours(25));
        store.sweepExpired(100);
        WriteResult again = store.write(tenant, id, WriteRequest.builder(now()).idempotency(idem)
                .append(Names.MAIN, List.of(msg("q"))).build());
        assertThat(again.replayed()).isFalse();
        assertThat(all(id)).hasSize(2);
    }

    // ---- pointers ------------------------------------------------------------------------------------

    @Test
    void branchesAndCheckpointsArePointersWithUniqueNames() {
        SessionId id = newSession(msg("a"), msg("b"));
        store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("alt", Target.at(EntryId.of(1)), PointerOp.Mode.CREATE))
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), "before alt", now())).build());

        assertThat(snapshot(id).branches()).containsEntry("alt", new Branch("alt", EntryId.of(1)));
        assertThat(store.checkpoint(tenant, id, "cp")).contains(new Checkpoint("cp", EntryId.of(2), "before alt", now()));
        assertThat(store.checkpoints(tenant, id)).extracting(Checkpoint::name).containsExactly("cp");

        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("alt", Target.head(Names.MAIN), PointerOp.Mode.CREATE)).build()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("branch alt already exists");
        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), null, now())).build()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("checkpoint cp already exists");
        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("x", Target.at(EntryId.of(42)), PointerOp.Mode.CREATE)).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no entry 42");
        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.DeleteBranch(Names.MAIN)).build()))
                .isInstanceOf(InvalidInputException.class);

        append(id, "alt", msg("on alt"));
        assertThat(store.path(tenant, id, head(id, "alt"), 10)).extracting(e -> e.message().orElseThrow().text())
                .containsExactly("a", "on alt");
        assertThat(store.path(tenant, id, head(id, Names.MAIN), 10)).hasSize(2);

        store.write(tenant, id, WriteRequest.builder(now()).op(new PointerOp.DeleteCheckpoint("cp"))
                .op(new PointerOp.DeleteBranch("alt")).build());
        assertThat(store.checkpoints(tenant, id)).isEmpty();
        assertThat(snapshot(id).branches()).containsOnlyKeys(Names.MAIN);
    }

    @Test
    void movingABranchBackPreservesAnUnreferencedHeadAsAnAutomaticCheckpoint() {
        SessionId id = newSession(msg("a"), msg("b"), msg("c"));
        store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.PreserveHead(Names.MAIN, now()))
                .op(new PointerOp.SetBranch(Names.MAIN, Target.at(EntryId.of(1)), PointerOp.Mode.MOVE)).build());
        assertThat(store.checkpoint(tenant, id, "auto/3")).hasValueSatisfying(c -> assertThat(c.entry()).isEqualTo(EntryId.of(3)));

        // A head something else references is not preserved again.
        store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("keep", Target.head(Names.MAIN), PointerOp.Mode.CREATE)).build());
        store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.PreserveHead(Names.MAIN, now()))
                .op(new PointerOp.SetBranch(Names.MAIN, Target.at(EntryId.of(3)), PointerOp.Mode.MOVE)).build());
        assertThat(store.checkpoints(tenant, id)).extracting(Checkpoint::name).containsExactly("auto/3");
    }

    @Test
    void anAutomaticCheckpointIsTakenEachTimeAPathCrossesTheConfiguredInterval() {
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, alice, now(), null, null, Map.of(),
                Map.of(WritePlanner.CHECKPOINT_EVERY, "4"), List.of()));
        for (int i = 1; i <= 9; i++) {
            append(id, "m" + i);
        }
        assertThat(store.checkpoints(tenant, id)).extracting(Checkpoint::name).containsExactly("auto/4", "auto/8");
    }

    @Test
    void editingAddsASiblingWithTheSameParent() {
        SessionId id = newSession(msg("a"), msg("b"));
        WriteResult edit = store.write(tenant, id, WriteRequest.builder(now())
                .appendAt(Target.at(EntryId.of(1)), List.of(msg("b2")))
                .op(new PointerOp.PreserveHead(Names.MAIN, now()))
                .op(new PointerOp.SetBranch(Names.MAIN, Target.lastAppended(), PointerOp.Mode.MOVE)).build());
        Entry sibling = edit.appended().getFirst();
        assertThat(sibling.parent()).isEqualTo(EntryId.of(1));
        assertThat(sibling.depth()).isEqualTo(2);
        assertThat(store.path(tenant, id, head(id, Names.MAIN), 10)).extracting(e -> e.message().orElseThrow().text())
                .containsExactly("a", "b2");
        assertThat(store.checkpoint(tenant, id, "auto/2")).isPresent();
    }

    // ---- session row ---------------------------------------------------------------------------------

    @Test
    void aPatchChangesMetadataSettingsAndTheCurrentBranch() {
        SessionId id = newSession(msg("a"));
        store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("alt", Target.head(Names.MAIN), PointerOp.Mode.CREATE))
                .patch(new SessionPatch(Map.of("topic", "cats"), Set.of("title"), Map.of("model", "m1"), Set.of(), null, "alt"))
                .build());
        SessionInfo info = snapshot(id).info();
        assertThat(info.metadata()).isEqualTo(Map.of("topic", "cats"));
        assertThat(info.settings()).isEqualTo(Map.of("model", "m1"));
        assertThat(info.currentBranch()).isEqualTo("alt");
        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now()).patch(SessionPatch.checkout("nope")).build()))
                .isInstanceOf(NotFoundException.class);
        assertThat(snapshot(id).info().currentBranch()).isEqualTo("alt");
    }

    @Test
    void redactingReplacesOnePayloadInPlaceAndKeepsTheLinks() {
        SessionId id = newSession(msg("my card is 4111"), msg("ok"));
        Entry before = store.entry(tenant, id, EntryId.of(1)).orElseThrow();
        long version = snapshot(id).info().version();
        Payload.Redacted tombstone = new Payload.Redacted(Role.USER, "alice", now());

        Entry redacted = store.redact(tenant, id, EntryId.of(1), tombstone, now());

        assertThat(redacted.payload()).isEqualTo(tombstone);
        assertThat(store.entry(tenant, id, EntryId.of(1))).contains(before.withPayload(tombstone));
        assertThat(store.entry(tenant, id, EntryId.of(2)).orElseThrow().parent()).isEqualTo(EntryId.of(1));
        assertThat(snapshot(id).info().version()).isEqualTo(version + 1);
        assertThatThrownBy(() -> store.redact(tenant, id, EntryId.of(9), tombstone, now())).isInstanceOf(NotFoundException.class);
    }

    // ---- TTL and deletion ----------------------------------------------------------------------------

    @Test
    void anExpiredSessionIsInvisibleAtOnceAndSweptLater() {
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, alice, now(), now().plus(Duration.ofHours(1)), null, Map.of(), Map.of(),
                List.of(msg("a"))));
        SessionId keeper = newSession(msg("stays"));
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.find(tenant, id)).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(store.find(tenant, id)).isEmpty();
        assertThatThrownBy(() -> append(id, "late")).isInstanceOf(NotFoundException.class);
        assertThat(store.list(tenant, null, null, 100).items()).extracting(SessionInfo::id).containsExactly(keeper);

        int swept = 0;
        for (int i = 0; i < 1000 && store.sweepExpired(10) > 0; i++) {
            swept++;
        }
        assertThat(swept).isPositive();
        assertThat(store.find(tenant, keeper)).isPresent();
        // The id is free again.
        create(id, bob);
        assertThat(snapshot(id).info().user()).isEqualTo(bob);
        assertThat(all(id)).isEmpty();
    }

    @Test
    void writesPushBackTheIdleExpiry() {
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, alice, now(), null, Duration.ofMinutes(30), Map.of(), Map.of(), List.of()));
        clock.advance(Duration.ofMinutes(20));
        append(id, "still here");
        clock.advance(Duration.ofMinutes(20));
        assertThat(store.find(tenant, id)).isPresent();
        assertThat(snapshot(id).info().expiresAt()).isEqualTo(now().plus(Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(10));
        assertThat(store.find(tenant, id)).isEmpty();
    }

    @Test
    void sweepingDeletesInBoundedBatches() {
        for (int i = 0; i < 7; i++) {
            store.create(new NewSession(tenant, SessionId.random(), alice, now(), now().plusSeconds(1), null, Map.of(), Map.of(),
                    List.of(msg("x"))));
        }
        clock.advance(Duration.ofSeconds(2));
        int first = store.sweepExpired(3);
        assertThat(first).isBetween(1, 3);
        int total = first;
        for (int i = 0; i < 1000; i++) {
            int n = store.sweepExpired(3);
            if (n == 0) {
                break;
            }
            total += n;
        }
        assertThat(total).isGreaterThanOrEqualTo(7);
    }

    @Test
    void deletingASessionDeletesAllOfIt() {
        SessionId id = newSession(msg("a"));
        store.write(tenant, id, WriteRequest.builder(now()).idempotency(new Idempotency("k", "h"))
                .append(Names.MAIN, List.of(msg("b")))
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), null, now()))
                .op(new PointerOp.SetBranch("alt", Target.head(Names.MAIN), PointerOp.Mode.CREATE))
                .vault(List.of(new VaultRow("<EMAIL_1>", "lk", "c2VjcmV0")))
                .counter("messages.user", 1).build());
        BudgetKey sessionBudget = new BudgetKey(BudgetKey.Level.SESSION, id.value());
        store.reserve(tenant, List.of(new BudgetLimit(sessionBudget, 100)), 40);

        assertThat(store.delete(tenant, id)).isTrue();
        assertThat(store.find(tenant, id)).isEmpty();
        assertThat(store.delete(tenant, id)).isFalse();
        assertThatThrownBy(() -> store.entries(tenant, id, 0, 10)).isInstanceOf(NotFoundException.class);

        create(id, alice);
        assertThat(all(id)).isEmpty();
        assertThat(store.checkpoints(tenant, id)).isEmpty();
        assertThat(snapshot(id).branches()).containsOnlyKeys(Names.MAIN);
        assertThat(store.vault(tenant, id)).isEmpty();
        assertThat(store.counters(tenant, id)).isEmpty();
        assertThat(store.budgetUsed(tenant, sessionBudget)).isZero();
        WriteResult fresh = store.write(tenant, id, WriteRequest.builder(now()).idempotency(new Idempotency("k", "h"))
                .append(Names.MAIN, List.of(msg("b"))).build());
        assertThat(fresh.replayed()).isFalse();
    }

    @Test
    void erasingAUserDeletesTheirSessionsStateBudgetsAndKeyButNoOneElses() {
        SessionId mine = newSession(msg("a"));
        SessionId theirs = SessionId.random();
        create(theirs, bob, msg("b"));
        store.putScoped(tenant, Scope.user(alice), "lang", "\"en\"", null);
        store.putScoped(tenant, Scope.user(bob), "lang", "\"fr\"", null);
        store.reserve(tenant, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.USER, "alice"), 100)), 10);
        store.userKeyIfAbsent(tenant, alice, "wrapped-a");
        store.userKeyIfAbsent(tenant, bob, "wrapped-b");

        assertThat(store.deleteUser(tenant, alice)).isEqualTo(1);

        assertThat(store.find(tenant, mine)).isEmpty();
        assertThat(store.find(tenant, theirs)).isPresent();
        assertThat(store.scopedState(tenant, Scope.user(alice))).isEmpty();
        assertThat(store.scopedValue(tenant, Scope.user(bob), "lang")).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo("\"fr\""));
        assertThat(store.budgetUsed(tenant, new BudgetKey(BudgetKey.Level.USER, "alice"))).isZero();
        assertThat(store.userKey(tenant, alice)).isEmpty();
        assertThat(store.userKey(tenant, bob)).contains("wrapped-b");
    }

    // ---- tenants and listing -------------------------------------------------------------------------

    @Test
    void tenantsAreIsolated() {
        SessionId id = newSession(msg("secret of tenant A"));
        TenantId other = TenantId.of("other" + tenant.value());

        assertThat(store.find(other, id)).isEmpty();
        assertThatThrownBy(() -> store.write(other, id, WriteRequest.builder(now()).append(Names.MAIN, List.of(msg("x"))).build()))
                .isInstanceOf(NotFoundException.class).hasMessage("no session " + id);
        assertThatThrownBy(() -> store.entry(other, id, EntryId.of(1))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.path(other, id, EntryId.of(1), 5)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.redact(other, id, EntryId.of(1), new Payload.Redacted(Role.USER, "x", now()), now()))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.list(other, null, null, 10).items()).isEmpty();
        assertThat(store.delete(other, id)).isFalse();
        assertThat(store.deleteUser(other, alice)).isZero();

        // The same id may exist in both tenants, independently.
        store.create(new NewSession(other, id, alice, now(), null, null, Map.of(), Map.of(), List.of(msg("B's"))));
        assertThat(store.entries(other, id, 0, 10)).extracting(e -> e.message().orElseThrow().text()).containsExactly("B's");
        assertThat(all(id)).extracting(e -> e.message().orElseThrow().text()).containsExactly("secret of tenant A");

        store.putScoped(tenant, Scope.app(), "k", "1", null);
        assertThat(store.scopedState(other, Scope.app())).isEmpty();
        store.delete(other, id);
        assertThat(store.find(tenant, id)).isPresent();
    }

    @Test
    void listingIsPaginatedByCursorNewestFirstAndFiltersByUser() {
        List<SessionId> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            SessionId id = SessionId.of(String.format("s%02d", i));
            create(id, i % 5 == 0 ? bob : alice);
            created.add(id);
            clock.advance(Duration.ofSeconds(i % 3 == 0 ? 0 : 1));
        }
        List<SessionId> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<SessionInfo> page = store.list(tenant, null, cursor, 10);
            page.items().forEach(i -> seen.add(i.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        List<SessionInfo> full = new ArrayList<>(store.list(tenant, null, null, 100).items());
        assertThat(full).isSortedAccordingTo(ListCursor.ORDER);
        assertThat(full.stream().map(SessionInfo::id).toList()).isEqualTo(seen);

        List<SessionInfo> bobs = store.list(tenant, bob, null, 100).items();
        assertThat(bobs).hasSize(5).allSatisfy(i -> assertThat(i.user()).isEqualTo(bob));
        assertThatThrownBy(() -> store.list(tenant, null, "not-a-cursor!", 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.list(tenant, null, null, 0)).isInstanceOf(InvalidInputException.class);
    }

    // ---- vault ---------------------------------------------------------------------------------------

    @Test
    void vaultRowsAreUniqueOnPlaceholderAndLookupEvenUnderConcurrentAppends() throws Exception {
        SessionId id = newSession();
        int threads = 16;
        AtomicInteger landed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    store.write(tenant, id, WriteRequest.builder(now())
                            .append(Names.MAIN, List.of(msg("mail <EMAIL_1>")))
                            .vault(List.of(new VaultRow("<EMAIL_1>", "lookup-" + thread, "ct" + thread))).build());
                    landed.incrementAndGet();
                } catch (ConflictException e) {
                    assertThat(e.reason()).isEqualTo(ConflictException.Reason.VAULT);
                    refused.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(landed).hasValue(1);
        assertThat(refused).hasValue(threads - 1);
        assertThat(store.vault(tenant, id)).hasSize(1);
        assertThat(all(id)).hasSize(1);

        assertThatThrownBy(() -> store.write(tenant, id, WriteRequest.builder(now())
                .vault(List.of(new VaultRow("<EMAIL_2>", store.vault(tenant, id).getFirst().lookup(), "x"))).build()))
                .isInstanceOf(ConflictException.class);
        store.write(tenant, id, WriteRequest.builder(now()).vault(List.of(new VaultRow("<EMAIL_2>", "other", "y"))).build());
        assertThat(store.vault(tenant, id)).extracting(VaultRow::placeholder).containsExactlyInAnyOrder("<EMAIL_1>", "<EMAIL_2>");
    }

    // ---- scoped state, budgets, counters, keys ------------------------------------------------------------

    @Test
    void userAndAppStateAreRowsPerKeyWithVersionsForConditionalUpdates() {
        Scope user = Scope.user(alice);
        assertThat(store.putScoped(tenant, user, "lang", "\"en\"", 0L)).isEqualTo(1);
        assertThat(store.putScoped(tenant, user, "tz", "\"UTC\"", null)).isEqualTo(1);
        assertThat(store.putScoped(tenant, user, "lang", "\"de\"", 1L)).isEqualTo(2);
        assertThatThrownBy(() -> store.putScoped(tenant, user, "lang", "\"fr\"", 1L))
                .isInstanceOf(ConflictException.class).hasMessageContaining("version 2, not 1");
        assertThatThrownBy(() -> store.putScoped(tenant, user, "tz", "\"x\"", 0L)).isInstanceOf(ConflictException.class);
        assertThat(store.scopedValue(tenant, user, "lang")).contains(new Versioned<>("\"de\"", 2));
        assertThat(store.scopedState(tenant, user)).containsOnlyKeys("lang", "tz");
        assertThat(store.scopedState(tenant, Scope.user(bob))).isEmpty();
        assertThat(store.scopedState(tenant, Scope.app())).isEmpty();

        assertThat(store.putScoped(tenant, user, "tz", null, null)).isZero();
        assertThat(store.scopedState(tenant, user)).containsOnlyKeys("lang");
        store.putScoped(tenant, Scope.app(), "feature", "true", null);
        assertThat(store.scopedValue(tenant, Scope.app(), "feature")).contains(new Versioned<>("true", 1));
    }

    @Test
    void aTurnsWriteAndItsSettlementLandTogetherAndAFailedWriteSettlesNothing() {
        BudgetKey sessionBudget = new BudgetKey(BudgetKey.Level.SESSION, "turns");
        BudgetKey userBudget = new BudgetKey(BudgetKey.Level.USER, "alice");
        SessionId id = newSession(msg("a"));
        EntryId seen = head(id, Names.MAIN);
        store.reserve(tenant, List.of(new BudgetLimit(sessionBudget, 1_000), new BudgetLimit(userBudget, 1_000)), 100);

        WriteResult landed = store.writeAndSettle(tenant, id, WriteRequest.builder(now()).ifHead(Names.MAIN, seen)
                .append(Names.MAIN, List.of(msg("b"))).build(), List.of(sessionBudget, userBudget), 100, 40);

        assertThat(landed.appended()).hasSize(1);
        assertThat(all(id)).hasSize(2);
        assertThat(store.budgetUsed(tenant, sessionBudget)).isEqualTo(40);
        assertThat(store.budgetUsed(tenant, userBudget)).isEqualTo(40);

        SessionSnapshot before = snapshot(id);
        assertThatThrownBy(() -> store.writeAndSettle(tenant, id, WriteRequest.builder(now()).ifHead(Names.MAIN, seen)
                .append(Names.MAIN, List.of(msg("c"))).build(), List.of(sessionBudget, userBudget), 0, 25))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.HEAD));
        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(store.budgetUsed(tenant, sessionBudget)).isEqualTo(40);
        assertThat(store.budgetUsed(tenant, userBudget)).isEqualTo(40);
    }

    @Test
    void concurrentBudgetReservationsNeverOverspend() throws Exception {
        BudgetKey userBudget = new BudgetKey(BudgetKey.Level.USER, "alice");
        BudgetKey tenantBudget = new BudgetKey(BudgetKey.Level.TENANT, tenant.value());
        List<BudgetLimit> limits = List.of(new BudgetLimit(userBudget, 1_000), new BudgetLimit(tenantBudget, 10_000));
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    try {
                        store.reserve(tenant, limits, 30);
                        granted.incrementAndGet();
                    } catch (BudgetExceededException e) {
                        assertThat(e.requested()).isEqualTo(30);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(granted).hasValue(33);
        assertThat(store.budgetUsed(tenant, userBudget)).isEqualTo(990);
        assertThat(store.budgetUsed(tenant, tenantBudget)).isEqualTo(990);

        assertThatThrownBy(() -> store.reserve(tenant, limits, 11))
                .isInstanceOf(BudgetExceededException.class)
                .satisfies(e -> assertThat(((BudgetExceededException) e).available()).isEqualTo(10));
        assertThat(store.budgetUsed(tenant, tenantBudget)).isEqualTo(990);

        store.settle(tenant, List.of(userBudget, tenantBudget), 30, 12);
        assertThat(store.budgetUsed(tenant, userBudget)).isEqualTo(972);
        assertThat(store.budgetUsed(tenant, tenantBudget)).isEqualTo(972);
    }

    @Test
    void countersAddUpPerSessionAndSumPerUserAndTenant() {
        SessionId a = newSession();
        SessionId b = newSession();
        SessionId c = SessionId.random();
        create(c, bob);
        store.write(tenant, a, WriteRequest.builder(now()).append(Names.MAIN, List.of(msg("x"))).counter("messages.user", 1)
                .counter("tokens.in", 10).build());
        store.write(tenant, a, WriteRequest.builder(now()).counter("tokens.in", 5).build());
        store.write(tenant, b, WriteRequest.builder(now()).counter("tokens.in", 7).build());
        store.write(tenant, c, WriteRequest.builder(now()).counter("tokens.in", 100).build());

        assertThat(store.counters(tenant, a)).isEqualTo(Map.of("messages.user", 1L, "tokens.in", 15L));
        assertThat(store.sumCounters(tenant, alice)).isEqualTo(Map.of("messages.user", 1L, "tokens.in", 22L));
        assertThat(store.sumCounters(tenant, null)).isEqualTo(Map.of("messages.user", 1L, "tokens.in", 122L));
    }

    @Test
    void manyCountersInOneWriteAllAddUp() {
        SessionId id = newSession();
        Map<String, Long> added = new java.util.TreeMap<>();
        for (int i = 0; i < 40; i++) {
            added.put("c." + i, (long) i + 1);
        }
        for (int round = 0; round < 2; round++) {
            WriteRequest.Builder write = WriteRequest.builder(now());
            added.forEach(write::counter);
            store.write(tenant, id, write.build());
        }
        Map<String, Long> twice = new java.util.TreeMap<>();
        added.forEach((name, value) -> twice.put(name, 2 * value));
        assertThat(store.counters(tenant, id)).isEqualTo(twice);
    }

    @Test
    void aUsersKeyIsStoredOnceAndNeverReplaced() {
        assertThat(store.userKey(tenant, alice)).isEmpty();
        assertThat(store.userKeyIfAbsent(tenant, alice, "first")).isEqualTo("first");
        assertThat(store.userKeyIfAbsent(tenant, alice, "second")).isEqualTo("first");
        assertThat(store.userKey(tenant, alice)).contains("first");
    }

    @Test
    void aTenantsUserKeysArePagedInUserIdOrderAndNoOtherTenantsAppear() {
        List<String> ids = List.of("u5", "u1", "u3", "u0", "u6", "u2", "u4");
        ids.forEach(id -> store.userKeyIfAbsent(tenant, UserId.of(id), "wrapped-" + id));
        TenantId other = TenantId.of("other" + tenant.value());
        store.userKeyIfAbsent(other, UserId.of("u1"), "theirs");
        store.userKeyIfAbsent(other, UserId.of("u9"), "theirs");

        List<UserKeyRecord> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Page<UserKeyRecord> page = store.userKeys(tenant, cursor, 3);
            seen.addAll(page.items());
            pageSizes.add(page.items().size());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(seen).extracting(r -> r.user().value()).containsExactly("u0", "u1", "u2", "u3", "u4", "u5", "u6");
        assertThat(seen).allSatisfy(r -> assertThat(r.wrapped()).isEqualTo("wrapped-" + r.user().value()));
        assertThat(store.userKeys(other, null, 10).items())
                .containsExactly(new UserKeyRecord(UserId.of("u1"), "theirs"), new UserKeyRecord(UserId.of("u9"), "theirs"));
        assertThat(store.userKeys(TenantId.of("empty" + tenant.value()), null, 10)).isEqualTo(new Page<>(List.of(), null));
    }

    @Test
    void listingsByIdRefuseForeignCursorsAndBadLimits() {
        store.userKeyIfAbsent(tenant, alice, "a");
        store.userKeyIfAbsent(tenant, bob, "b");
        String userCursor = store.userKeys(tenant, null, 1).nextCursor();
        assertThat(userCursor).isNotNull();
        assertThat(store.users(tenant, userCursor, 10).items()).containsExactly(bob);

        newSession();
        newSession();
        String sessionCursor = store.list(tenant, null, null, 1).nextCursor();
        for (String bad : List.of("not-a-cursor!", IdCursor.after(tenant), sessionCursor)) {
            assertThatThrownBy(() -> store.userKeys(tenant, bad, 10)).isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("cursor"));
            assertThatThrownBy(() -> store.users(tenant, bad, 10)).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> store.tenants(userCursor, 10)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("cursor"));
        for (int bad : List.of(0, -1, 1001)) {
            assertThatThrownBy(() -> store.userKeys(tenant, null, bad)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.users(tenant, null, bad)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.tenants(null, bad)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void aUsersKeyIsReplacedOnlyWhenItIsStillTheExpectedOne() {
        store.userKeyIfAbsent(tenant, alice, "first");
        TenantId other = TenantId.of("other" + tenant.value());
        store.userKeyIfAbsent(other, alice, "first");

        assertThat(store.replaceUserKey(tenant, alice, "not-the-stored-one", "second")).isFalse();
        assertThat(store.userKey(tenant, alice)).contains("first");
        assertThat(store.replaceUserKey(tenant, alice, "first", "second")).isTrue();
        assertThat(store.userKey(tenant, alice)).contains("second");
        assertThat(store.replaceUserKey(tenant, alice, "first", "third")).isFalse();
        assertThat(store.userKey(tenant, alice)).contains("second");
        assertThat(store.userKeys(tenant, null, 10).items()).containsExactly(new UserKeyRecord(alice, "second"));
        assertThat(store.userKey(other, alice)).contains("first");

        assertThat(store.replaceUserKey(tenant, bob, "first", "second")).isFalse();
        assertThat(store.userKey(tenant, bob)).isEmpty();
    }

    @Test
    void replacingTheKeyOfAnErasedUserNeverBringsItBack() {
        store.userKeyIfAbsent(tenant, alice, "first");
        store.deleteUser(tenant, alice);

        assertThat(store.replaceUserKey(tenant, alice, "first", "second")).isFalse();
        assertThat(store.userKey(tenant, alice)).isEmpty();
        assertThat(store.userKeys(tenant, null, 10).items()).isEmpty();
        assertThat(store.users(tenant, null, 10).items()).isEmpty();
    }

    @Test
    void aReplaceRacingAnEraseNeverLeavesAKeyForTheErasedUser() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                UserId user = UserId.of("racer" + round);
                String old = "old-" + round;
                store.userKeyIfAbsent(tenant, user, old);
                CountDownLatch start = new CountDownLatch(1);
                Future<Boolean> replaced = pool.submit(() -> {
                    start.await();
                    return store.replaceUserKey(tenant, user, old, "new");
                });
                Future<Integer> erased = pool.submit(() -> {
                    start.await();
                    return store.deleteUser(tenant, user);
                });
                start.countDown();
                replaced.get(60, TimeUnit.SECONDS);
                erased.get(60, TimeUnit.SECONDS);
                assertThat(store.userKey(tenant, user)).as("key of %s", user).isEmpty();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.userKeys(tenant, null, 100).items()).isEmpty();
    }

    @Test
    void usersAreTheOnesHoldingASessionStateABudgetOrAKeyInIdOrder() {
        UserId carol = UserId.of("carol");
        UserId dave = UserId.of("dave");
        UserId erin = UserId.of("erin");
        newSession(msg("alice has a session"));
        store.putScoped(tenant, Scope.user(bob), "lang", "\"en\"", null);
        store.reserve(tenant, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.USER, carol.value()), 100)), 5);
        store.userKeyIfAbsent(tenant, dave, "wrapped-d");
        store.create(new NewSession(tenant, SessionId.random(), erin, now(), now().plus(Duration.ofMinutes(5)), null,
                Map.of(), Map.of(), List.of()));
        store.putScoped(tenant, Scope.app(), "app-only", "1", null);
        store.reserve(tenant, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.TENANT, tenant.value()), 100)), 5);
        TenantId other = TenantId.of("other" + tenant.value());
        store.userKeyIfAbsent(other, UserId.of("zed"), "theirs");

        assertThat(walkUsers(2)).containsExactly(alice, bob, carol, dave, erin);
        assertThat(store.users(tenant, null, 2).items()).containsExactly(alice, bob);
        assertThat(store.users(other, null, 10).items()).containsExactly(UserId.of("zed"));

        clock.advance(Duration.ofMinutes(5));
        assertThat(walkUsers(2)).as("a user whose only session expired").containsExactly(alice, bob, carol, dave);

        for (UserId user : List.of(alice, bob, carol, dave)) {
            store.deleteUser(tenant, user);
        }
        assertThat(store.users(tenant, null, 10)).isEqualTo(new Page<>(List.of(), null));
        assertThat(store.users(other, null, 10).items()).containsExactly(UserId.of("zed"));

        store.putScoped(tenant, Scope.user(bob), "lang", "\"fr\"", null);
        assertThat(walkUsers(10)).as("a user who comes back after being erased").containsExactly(bob);
    }

    private List<UserId> walkUsers(int limit) {
        List<UserId> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<UserId> page = store.users(tenant, cursor, limit);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            seen.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return seen;
    }

    @Test
    void tenantsAreTheOnesHoldingAnythingInIdOrderAndDisappearWhenEmptied() {
        // Stores on a shared server hold other tests' tenants too: only the order and presence of ours is checked.
        TenantId withSession = TenantId.of(tenant.value() + "-a");
        TenantId withAppState = TenantId.of(tenant.value() + "-b");
        TenantId withTenantBudget = TenantId.of(tenant.value() + "-c");
        TenantId withUserKey = TenantId.of(tenant.value() + "-d");
        TenantId withUserState = TenantId.of(tenant.value() + "-e");
        TenantId withSessionBudget = TenantId.of(tenant.value() + "-f");
        SessionId session = SessionId.random();
        store.create(new NewSession(withSession, session, alice, now(), null, null, Map.of(), Map.of(), List.of(msg("hi"))));
        store.putScoped(withAppState, Scope.app(), "feature", "true", null);
        store.reserve(withTenantBudget, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.TENANT, "all"), 100)), 1);
        store.userKeyIfAbsent(withUserKey, bob, "wrapped-b");
        store.putScoped(withUserState, Scope.user(bob), "lang", "\"en\"", null);
        store.reserve(withSessionBudget, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.SESSION, "s1"), 100)), 1);
        List<TenantId> ours = List.of(withSession, withAppState, withTenantBudget, withUserKey, withUserState, withSessionBudget);

        assertThat(walkTenantsUpTo(withSessionBudget, 2)).containsExactlyElementsOf(ours);
        assertThat(walkTenantsUpTo(withSessionBudget, 1000)).containsExactlyElementsOf(ours);

        store.delete(withSession, session);
        store.putScoped(withAppState, Scope.app(), "feature", null, null);
        store.deleteUser(withUserKey, bob);
        store.deleteUser(withUserState, bob);
        assertThat(walkTenantsUpTo(withSessionBudget, 2)).containsExactly(withTenantBudget, withSessionBudget);
    }

    /**
     * Walks {@link SessionStore#tenants} from the start until past {@code last}, checking that pages are in
     * strict id order and never repeat; returns the tenants seen that belong to this test.
     */
    private List<TenantId> walkTenantsUpTo(TenantId last, int limit) {
        List<TenantId> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<TenantId> page = store.tenants(cursor, limit);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null && all.getLast().compareTo(last) < 0);
        assertThat(all).doesNotHaveDuplicates().isSorted();
        return all.stream().filter(t -> t.value().startsWith(tenant.value())).toList();
    }

    // ---- import --------------------------------------------------------------------------------------

    @Test
    void anImportedImageReadsBackExactlyAsTheSessionItWasTakenFrom() {
        SessionId id = newSession(draft(now(), Message.system("sys")), msg("a"));
        append(id, "b");
        store.write(tenant, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch("alt", Target.at(EntryId.of(2)), PointerOp.Mode.CREATE))
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), "note", now()))
                .vault(List.of(new VaultRow("<EMAIL_1>", "lk", "Y3Q="))).counter("n", 3).build());
        append(id, "alt", msg("alt msg"));

        SessionSnapshot source = snapshot(id);
        SessionImage image = new SessionImage(source.info(), List.copyOf(source.branches().values()),
                store.checkpoints(tenant, id), all(id), store.vault(tenant, id), store.counters(tenant, id));
        store.delete(tenant, id);
        store.importSession(image);

        assertThat(snapshot(id)).isEqualTo(source);
        assertThat(all(id)).isEqualTo(image.entries());
        assertThat(store.checkpoints(tenant, id)).isEqualTo(image.checkpoints());
        assertThat(store.vault(tenant, id)).isEqualTo(image.vault());
        assertThat(store.counters(tenant, id)).isEqualTo(image.counters());
        assertThat(append(id, "after import").appended().getFirst().seq()).isEqualTo(source.info().lastSeq() + 1);
        assertThatThrownBy(() -> store.importSession(image)).isInstanceOf(ConflictException.class);
    }
}
