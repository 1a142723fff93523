package dev.parley.store.postgres;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.NotFoundException;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries have no foreign key to their session (schema version 3): a statement trigger deletes them with
 * it. Deleting a session in any way must leave none of its rows behind, even while writers append to it.
 */
class SessionDeletionTest {
    private static final String SCHEMA = "parley_test_deletion";
    private static final TenantId TENANT = TenantId.of("acme");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private PostgresSessionStore store;

    @BeforeEach
    void open() throws SQLException {
        TestDatabase.require();
        TestDatabase.drop(SCHEMA);
        store = PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema(SCHEMA).clock(clock).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void everyWayOfDeletingASessionDeletesItsEntries() throws SQLException {
        create("deleted", UserId.of("alice"), null);
        create("erased-1", UserId.of("bob"), null);
        create("erased-2", UserId.of("bob"), null);
        create("expired", UserId.of("carol"), Duration.ofMinutes(1));
        create("replaced", UserId.of("carol"), Duration.ofMinutes(1));
        create("kept", UserId.of("dave"), null);
        for (String id : List.of("deleted", "erased-1", "erased-2", "expired", "replaced", "kept")) {
            append(id, "one more");
        }
        assertThat(count("entries")).isEqualTo(12);

        assertThat(store.delete(TENANT, SessionId.of("deleted"))).isTrue();
        assertThat(store.deleteUser(TENANT, UserId.of("bob"))).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        create("replaced", UserId.of("carol"), null); // takes the id of an expired session: the old one is deleted first
        assertThat(store.sweepExpired(10)).isEqualTo(1);

        assertThat(count("sessions")).isEqualTo(2);
        assertThat(count("entries")).as("the new 'replaced' has its system prompt, 'kept' two entries").isEqualTo(3);
        assertThat(orphans()).isZero();
    }

    @Test
    void entriesAWriterCommitsWhileTheDeleteWaitsForTheSessionGoWithIt() throws Exception {
        int sessions = 16;
        for (int i = 0; i < sessions; i++) {
            create("s" + i, UserId.of("alice"), null);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(sessions + 1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String id = "s" + i;
                writers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            append(id, "while it is deleted");
                        } catch (NotFoundException deleted) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            Future<?> deleter = pool.submit(() -> {
                for (int i = 0; i < sessions; i++) {
                    Thread.sleep(20);
                    assertThat(store.delete(TENANT, SessionId.of("s" + i))).isTrue();
                }
                return null;
            });
            deleter.get(60, TimeUnit.SECONDS);
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }

        assertThat(count("sessions")).isZero();
        assertThat(count("entries")).isZero();
    }

    @Test
    void theSchemaHasNoForeignKeyOnEntriesButTheTrigger() throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                     + " AND conrelid = '\"" + SCHEMA + "\".entries'::regclass),"
                     + " (SELECT count(*) FROM pg_trigger WHERE tgname = 'delete_entries'"
                     + " AND tgrelid = '\"" + SCHEMA + "\".sessions'::regclass)")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
    }

    private void create(String id, UserId user, Duration idleTtl) {
        Instant now = clock.instant();
        store.create(new NewSession(TENANT, SessionId.of(id), user, now, null, idleTtl, Map.of(), Map.of(),
                List.of(draft(Message.system("Be brief.")))));
    }

    private void append(String id, String text) {
        store.write(TENANT, SessionId.of(id), WriteRequest.builder(clock.instant())
                .append(Names.MAIN, List.of(draft(Message.user(text)))).build());
    }

    private EntryDraft draft(Message message) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }

    private static long count(String table) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + SCHEMA + "\"." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long orphans() throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + SCHEMA + "\".entries e WHERE NOT EXISTS"
                     + " (SELECT 1 FROM \"" + SCHEMA + "\".sessions s WHERE s.pk = e.session_pk)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
