package dev.parley.store.postgres;

import dev.parley.InvalidInputException;
import dev.parley.StoreException;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.NewSession;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening a store where a store is named (--store, PARLEY_STORE, SessionStores.open), and what is refused. */
class PostgresStoreOpeningTest {
    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @Test
    void aPostgresUrlOpensTheStoreThroughTheStoreRegistry() throws Exception {
        TestDatabase.require();
        TestDatabase.resetOnce("parley_test_open");
        for (String scheme : List.of("postgres", "postgresql")) {
            try (SessionStore store = SessionStores.open(scheme + "://postgres@127.0.0.1:5432/test?schema=parley_test_open", clock)) {
                assertThat(store).isInstanceOf(PostgresSessionStore.class);
                assertThat(store.describe()).isEqualTo("postgres://postgres@127.0.0.1:5432/test?schema=parley_test_open");
                SessionId id = SessionId.random();
                store.create(new NewSession(TenantId.DEFAULT, id, UserId.ANONYMOUS, clock.instant(), null, null, Map.of(), Map.of(),
                        List.of()));
                assertThat(store.find(TenantId.DEFAULT, id)).isPresent();
            }
        }
    }

    @Test
    void aBadUrlNamedAsAStoreIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> SessionStores.open("postgres://db.internal/parley", clock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("names no user");
    }

    @Test
    void anUnreachableServerIsAStoreErrorNamingWhereItWasLookedFor() {
        assertThatThrownBy(() -> PostgresSessionStore.open("postgres://postgres:pw@127.0.0.1:1/test"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("postgres://postgres@127.0.0.1:1/test?schema=parley")
                .hasMessageNotContaining("pw@");
    }

    @Test
    void builderSettingsAreCheckedWithMessagesNamingTheSetting() {
        assertThatThrownBy(() -> PostgresSessionStore.builder().committers(0))
                .isInstanceOf(InvalidInputException.class).hasMessage("committers must be between 1 and 64: 0");
        assertThatThrownBy(() -> PostgresSessionStore.builder().poolSize(1))
                .isInstanceOf(InvalidInputException.class).hasMessage("pool size must be between 2 and 1000: 1");
        assertThatThrownBy(() -> PostgresSessionStore.builder().gatherWindow(java.time.Duration.ofMillis(-1)))
                .isInstanceOf(InvalidInputException.class).hasMessage("the gather window must be between 0 and 100 ms: PT-0.001S");
        assertThatThrownBy(() -> PostgresSessionStore.builder().gatherWindow(java.time.Duration.ofSeconds(1)))
                .isInstanceOf(InvalidInputException.class).hasMessage("the gather window must be between 0 and 100 ms: PT1S");
        assertThatThrownBy(() -> PostgresSessionStore.builder().schema("Public"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'Public'");
        assertThatThrownBy(() -> PostgresSessionStore.builder().jdbcUrl("jdbc:mysql://h/db?password=x", "u", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("jdbc:postgresql:").hasMessageNotContaining("password=x");
        assertThatThrownBy(() -> PostgresSessionStore.builder().build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("say where the database is");
        assertThatThrownBy(() -> PostgresSessionStore.builder().url(TestDatabase.URL).committers(4).poolSize(4).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("make it at least 5");
    }

    @Test
    void aClosedStoreRefusesEveryOperationEvenOnASharedPool() throws Exception {
        TestDatabase.require();
        TestDatabase.resetOnce("parley_test_open");
        for (boolean groupCommit : List.of(true, false)) {
            PostgresSessionStore store = PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema("parley_test_open")
                    .groupCommit(groupCommit).clock(clock).build();
            SessionId id = SessionId.random();
            store.create(new NewSession(TenantId.DEFAULT, id, UserId.ANONYMOUS, clock.instant(), null, null, Map.of(), Map.of(),
                    List.of()));
            store.close();
            store.close();
            assertThatThrownBy(() -> store.write(TenantId.DEFAULT, id, WriteRequest.builder(clock.instant())
                    .patch(dev.parley.store.SessionPatch.checkout(Names.MAIN)).build()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> store.find(TenantId.DEFAULT, id)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        }
    }
}
