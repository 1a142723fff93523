package dev.parley;

import dev.parley.store.memory.InMemorySessionStore;
import dev.parley.testing.MutableClock;

class LocalSessionApiTest extends SessionApiContract {
    @Override
    protected Parley newParley(MutableClock clock) {
        return Parley.builder().store(new InMemorySessionStore(clock)).clock(clock).build();
    }
}
