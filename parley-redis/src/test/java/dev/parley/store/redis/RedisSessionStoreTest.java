package dev.parley.store.redis;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;

/** The whole store contract against the shared single Redis server. */
class RedisSessionStoreTest extends SessionStoreContract {
    private static final String PREFIX = TestRedis.newPrefix("contract");

    @Override
    protected SessionStore newStore(MutableClock clock) {
        TestRedis.require();
        return RedisSessionStore.builder().url(TestRedis.URL).keyPrefix(PREFIX).clock(clock).build();
    }

    @AfterAll
    static void deleteTheKeysOfThisRun() {
        TestRedis.deleteKeys(PREFIX);
    }
}
