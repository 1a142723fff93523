package dev.parley.security;

import dev.parley.store.SessionStore;
import dev.parley.store.memory.InMemorySessionStore;
import dev.parley.testing.MutableClock;

class InMemoryKeyRotationTest extends KeyRotationContract {
    @Override
    protected SessionStore newStore(MutableClock clock) {
        return new InMemorySessionStore(clock);
    }
}
