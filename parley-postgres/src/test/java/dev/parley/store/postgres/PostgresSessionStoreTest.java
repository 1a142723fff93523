package dev.parley.store.postgres;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import dev.parley.testing.MutableClock;

import java.sql.SQLException;

/** The whole store contract against the real server, with group commit on (the default). */
class PostgresSessionStoreTest extends SessionStoreContract {
    private static final String SCHEMA = "parley_test";

    @Override
    protected SessionStore newStore(MutableClock clock) {
        TestDatabase.require();
        try {
            TestDatabase.resetOnce(SCHEMA);
        } catch (SQLException e) {
            throw new AssertionError("cannot reset schema " + SCHEMA, e);
        }
        return PostgresSessionStore.builder().dataSource(TestDatabase.pool()).schema(SCHEMA).clock(clock).build();
    }
}
