package dev.parley.store.postgres;

import dev.parley.ConflictException;
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
import dev.parley.json.ParleyJson;
import dev.parley.store.EntryDraft;
import dev.parley.store.Idempotency;
import dev.parley.store.NewSession;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How one transaction of grouped writes behaves: what each write sees, what fails alone, what runs again. */
class WriteBatchTest {
    private static final String SCHEMA = "parley_test_batch";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("t" + SessionId.random().value().substring(0, 12).toLowerCase());
    private PostgresSessionStore store;
    private Writes writes;

    @BeforeEach
    void open() throws SQLException {
        TestDatabase.require();
        TestDatabase.resetOnce(SCHEMA);
        store = PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema(SCHEMA).clock(clock).build();
        writes = new Writes(new Db(TestDatabase.pool(), SCHEMA, "test", clock), 0, Duration.ZERO);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private EntryDraft msg(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private SessionId session(String... texts) {
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, UserId.of("alice"), clock.instant(), null, null, Map.of(), Map.of(),
                java.util.Arrays.stream(texts).map(this::msg).toList()));
        return id;
    }

    private PendingWrite append(SessionId id, String text, EntryId ifHead) {
        WriteRequest.Builder request = WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(msg(text)));
        if (ifHead != null) {
            request.ifHead(Names.MAIN, ifHead);
        }
        return new PendingWrite(tenant, id, request.build());
    }

    private List<String> mainPath(SessionId id) {
        EntryId head = store.find(tenant, id).orElseThrow().branch(Names.MAIN).orElseThrow().head();
        return store.path(tenant, id, head, 100).stream().map(e -> e.message().orElseThrow().text()).toList();
    }

    @Test
    void writesOfOneBatchSeeEachOtherAndAFailedWriteLeavesTheOthersIntact() {
        SessionId one = session("a");
        SessionId two = session("x");
        EntryId head = EntryId.of(1);
        PendingWrite first = append(one, "b", head);
        PendingWrite staleHead = append(one, "lost", head);
        PendingWrite third = append(one, "c", null);
        PendingWrite keyed = new PendingWrite(tenant, one, WriteRequest.builder(clock.instant())
                .idempotency(new Idempotency("k", "h")).append(Names.MAIN, List.of(msg("d"))).build());
        PendingWrite retried = new PendingWrite(tenant, one, WriteRequest.builder(clock.instant())
                .idempotency(new Idempotency("k", "h")).append(Names.MAIN, List.of(msg("d"))).build());
        PendingWrite vault = new PendingWrite(tenant, two, WriteRequest.builder(clock.instant())
                .vault(List.of(new VaultRow("<EMAIL_1>", "l1", "c1"))).build());
        PendingWrite sameValue = new PendingWrite(tenant, two, WriteRequest.builder(clock.instant())
                .vault(List.of(new VaultRow("<EMAIL_2>", "l1", "c2"))).build());
        PendingWrite missing = append(SessionId.of("missing"), "z", null);

        writes.execute(List.of(first, staleHead, third, keyed, retried, vault, sameValue, missing));

        assertThat(first.await().appended()).extracting(Entry::seq).containsExactly(2L);
        assertThatThrownBy(staleHead::await).isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.HEAD));
        assertThat(third.await().appended()).extracting(Entry::seq).containsExactly(3L);
        WriteResult original = keyed.await();
        assertThat(retried.await().replayed()).isTrue();
        assertThat(retried.await().appended()).isEqualTo(original.appended());
        assertThat(vault.await().replayed()).isFalse();
        assertThatThrownBy(sameValue::await).isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictException.Reason.VAULT));
        assertThatThrownBy(missing::await).isInstanceOf(NotFoundException.class).hasMessage("no session missing");

        assertThat(mainPath(one)).containsExactly("a", "b", "c", "d");
        assertThat(store.find(tenant, one).orElseThrow().info().version()).isEqualTo(1 + 3);
        assertThat(store.vault(tenant, two)).extracting(VaultRow::placeholder).containsExactly("<EMAIL_1>");
    }

    @Test
    void aWriteThatWaitedForTheSessionLockBuildsOnWhatTheHolderCommitted() throws Exception {
        SessionId id = session("a");
        long pk;
        try (Connection holder = TestDatabase.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT pk FROM " + SCHEMA + ".sessions WHERE tenant = ? AND id = ?"
                    + " FOR NO KEY UPDATE")) {
                ps.setString(1, tenant.value());
                ps.setString(2, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pk = rs.getLong(1);
                }
            }
            PendingWrite waiting = append(id, "c", null);
            CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> writes.execute(List.of(waiting)));
            awaitLockWait();

            // What another server's write would do: append entry 2 and move main to it.
            Entry second = new Entry(EntryId.of(2), EntryId.of(1), 2, 2, clock.instant(), EntryKind.MESSAGE,
                    new Payload.MessagePayload(Message.user("b")), null, null, null);
            try (PreparedStatement ps = holder.prepareStatement("INSERT INTO " + SCHEMA + ".entries (session_pk, seq, parent,"
                    + " depth, message_count, at, kind, payload) VALUES (?, 2, 1, 2, 2, ?, 'MESSAGE', ?)")) {
                ps.setLong(1, pk);
                Rows.setInstant(ps, 2, second.at());
                ps.setString(3, ParleyJson.payloadText(second.payload()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = holder.prepareStatement("UPDATE " + SCHEMA + ".branches SET head = 2 WHERE session_pk = ?;"
                    + " UPDATE " + SCHEMA + ".sessions SET version = version + 1, last_seq = 2 WHERE pk = ?")) {
                ps.setLong(1, pk);
                ps.setLong(2, pk);
                ps.execute();
            }
            holder.commit();
            batch.get(30, TimeUnit.SECONDS);

            Entry appended = waiting.await().appended().getFirst();
            assertThat(appended.seq()).isEqualTo(3);
            assertThat(appended.parent()).isEqualTo(EntryId.of(2));
            assertThat(mainPath(id)).containsExactly("a", "b", "c");
        }
    }

    /** Waits until some backend of the test database waits for a row lock: the batch is blocked behind the holder. */
    private static void awaitLockWait() throws SQLException {
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND wait_event_type = 'Lock' AND query LIKE '%FOR NO KEY UPDATE OF s%'")) {
            for (int polls = 0; polls < 100_000; polls++) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the write never waited for the session's lock");
    }

    @Test
    void aBatchTheDatabaseRefusesRunsAgainOneWriteAtATimeSoOnlyTheFaultyWriteFails() throws SQLException {
        SessionId healthy = session("a");
        SessionId damaged = session("x");
        // Simulate a writer that ignored the row lock: entry 2 of the damaged session exists already.
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".entries (session_pk, seq, parent, depth,"
                     + " message_count, at, kind, payload) SELECT pk, 2, 1, 2, 2, now(), 'MESSAGE', ? FROM " + SCHEMA
                     + ".sessions WHERE tenant = ? AND id = ?")) {
            ps.setString(1, ParleyJson.payloadText(new Payload.MessagePayload(Message.user("intruder"))));
            ps.setString(2, tenant.value());
            ps.setString(3, damaged.value());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        PendingWrite good = append(healthy, "b", null);
        PendingWrite clashing = append(damaged, "y", null);

        writes.execute(List.of(good, clashing));

        assertThat(good.await().appended()).extracting(Entry::seq).containsExactly(2L);
        assertThatThrownBy(clashing::await).isInstanceOf(ConflictException.class).hasMessageContaining("entries_pkey");
        assertThat(mainPath(healthy)).containsExactly("a", "b");
        assertThat(mainPath(damaged)).containsExactly("x");
    }

    @Test
    void theWriteStatementFailsBeforeItsCommitWhenALockedRowWasNotUpdated() throws SQLException {
        try (Connection c = TestDatabase.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SCHEMA + ".expect_rows(2, 1); COMMIT")) {
                assertThatThrownBy(ps::execute).isInstanceOf(SQLException.class)
                        .hasMessageContaining("a locked session row changed under its lock (1 of 2 updated)")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            }
            assertThat(c.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState())
                    .as("COMMIT did not run: the transaction is still open, aborted")
                    .isEqualTo(org.postgresql.core.TransactionState.FAILED);
            c.rollback();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SCHEMA + ".expect_rows(2, 2)");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            c.rollback();
        }
    }
}
