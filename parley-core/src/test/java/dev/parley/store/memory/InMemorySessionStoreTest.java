package dev.parley.store.memory;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import dev.parley.testing.MutableClock;

class InMemorySessionStoreTest extends SessionStoreContract {
    @Override
    protected SessionStore newStore(MutableClock clock) {
        return new InMemorySessionStore(clock);
    }
}
