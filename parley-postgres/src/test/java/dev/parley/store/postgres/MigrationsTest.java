package dev.parley.store.postgres;

import dev.parley.StoreException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.store.EntryDraft;
import dev.parley.store.WriteRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema is created and upgraded in place, from every earlier version, keeping the data. */
class MigrationsTest {
    private static final String SCHEMA = "parley_test_migrations";
    private static final TenantId TENANT = TenantId.of("acme");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00.123Z");

    @BeforeEach
    void freshSchema() throws SQLException {
        TestDatabase.require();
        TestDatabase.drop(SCHEMA);
    }

    private static PostgresSessionStore open() {
        return PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema(SCHEMA).build();
    }

    private static List<Integer> recordedVersions() throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM " + SCHEMA + ".schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static List<Integer> allVersions() {
        return Migrations.STEPS.stream().map(Migrations.Step::version).toList();
    }

    @Test
    void stepsAreNumberedFromOneWithoutGaps() {
        for (int i = 0; i < Migrations.STEPS.size(); i++) {
            assertThat(Migrations.STEPS.get(i).version()).isEqualTo(i + 1);
        }
        assertThat(PostgresSessionStore.schemaVersion()).isEqualTo(Migrations.STEPS.size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aNewSchemaIsCreatedAtTheLatestVersionWithEveryStepRecorded() throws SQLException {
        try (PostgresSessionStore store = open()) {
            assertThat(store.find(TENANT, SessionId.of("nothing"))).isEmpty();
        }
        assertThat(recordedVersions()).isEqualTo(allVersions());
    }

    @Test
    void everyEarlierVersionIsUpgradedInPlaceAndKeepsItsData() throws SQLException {
        for (int version = 1; version < Migrations.latest(); version++) {
            TestDatabase.drop(SCHEMA);
            try (Connection c = TestDatabase.connect()) {
                assertThat(Migrations.migrate(c, SCHEMA, "test", version)).isZero();
            }
            assertThat(recordedVersions()).as("built at version %d", version).isEqualTo(allVersions().subList(0, version));
            insertVersionOneSession(SessionId.of("old"));

            try (PostgresSessionStore store = open()) {
                assertThat(recordedVersions()).as("upgraded from version %d", version).isEqualTo(allVersions());
                assertThat(store.find(TENANT, SessionId.of("old")).orElseThrow().info().createdAt()).isEqualTo(AT);
                List<Entry> path = store.path(TENANT, SessionId.of("old"), EntryId.of(2), 10);
                assertThat(path).extracting(e -> e.message().orElseThrow().text()).containsExactly("Be brief.", "Hello");
                Entry next = store.write(TENANT, SessionId.of("old"), WriteRequest.builder(AT).append(Names.MAIN,
                        List.of(new EntryDraft(AT, dev.parley.domain.EntryKind.MESSAGE,
                                new Payload.MessagePayload(Message.assistant("Hi")))))
                        .build()).appended().getFirst();
                assertThat(next.seq()).isEqualTo(3);
                assertThat(next.parent()).isEqualTo(EntryId.of(2));
            }
            assertThat(indexes()).contains("sessions_expiry", "idempotency_age");
        }
    }

    /** A session as version 1 of the schema stores it: the data an older Parley left behind. */
    private static void insertVersionOneSession(SessionId id) throws SQLException {
        try (Connection c = TestDatabase.connect()) {
            long pk;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".sessions (tenant, id, user_id, created_at,"
                    + " updated_at, expires_at, absolute_expires_at, idle_ttl_ms, metadata, settings, version, last_seq,"
                    + " current_branch, initial_head) VALUES (?, ?, 'alice', ?, ?, NULL, NULL, NULL, '{\"title\":\"old\"}',"
                    + " '{}', 2, 2, 'main', 1) RETURNING pk")) {
                ps.setString(1, TENANT.value());
                ps.setString(2, id.value());
                Rows.setInstant(ps, 3, AT);
                Rows.setInstant(ps, 4, AT);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pk = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".entries (session_pk, seq, parent, depth,"
                    + " message_count, at, kind, payload) VALUES (?, 1, NULL, 1, 1, ?, 'MESSAGE', ?), (?, 2, 1, 2, 2, ?, 'MESSAGE', ?)")) {
                ps.setLong(1, pk);
                Rows.setInstant(ps, 2, AT);
                ps.setString(3, ParleyJson.payloadText(new Payload.MessagePayload(Message.system("Be brief."))));
                ps.setLong(4, pk);
                Rows.setInstant(ps, 5, AT);
                ps.setString(6, ParleyJson.payloadText(new Payload.MessagePayload(Message.user("Hello"))));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".branches (session_pk, name, head)"
                    + " VALUES (?, 'main', 2)")) {
                ps.setLong(1, pk);
                ps.executeUpdate();
            }
        }
    }

    private static List<String> indexes() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("SELECT indexname FROM pg_indexes WHERE schemaname = ?")) {
            ps.setString(1, SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    @Test
    void aSchemaNewerThanThisCodeIsRefusedWithAClearError() throws SQLException {
        open().close();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + SCHEMA + ".schema_version (version, description) VALUES ("
                    + (Migrations.latest() + 1) + ", 'from the future')");
        }
        assertThatThrownBy(MigrationsTest::open)
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema " + SCHEMA)
                .hasMessageContaining("at version " + (Migrations.latest() + 1))
                .hasMessageContaining("newer than this Parley knows (" + Migrations.latest() + ")");
        assertThat(recordedVersions()).hasSize(Migrations.latest() + 1);
    }

    @Test
    void serversOpeningANewSchemaTogetherApplyEachStepOnce() throws Exception {
        int openers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                tasks.add(() -> {
                    try (PostgresSessionStore store = PostgresSessionStore.builder().url(TestDatabase.URL + "?schema=" + SCHEMA)
                            .poolSize(3).build()) {
                        return store.find(TENANT, SessionId.of("x")).isEmpty();
                    }
                });
            }
            for (Future<Boolean> opened : pool.invokeAll(tasks)) {
                assertThat(opened.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(recordedVersions()).isEqualTo(allVersions());
    }
}
