package dev.parley;

import dev.parley.api.Sessions;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.memory.InMemorySessionStore;
import dev.parley.testing.MutableClock;

class LocalSessionApiTest extends SessionApiContract {
    private Parley engine;

    @Override
    protected Sessions newSessions(MutableClock clock) {
        engine = Parley.builder().store(new InMemorySessionStore(clock)).clock(clock)
                .tenant(TenantId.of("t" + SessionId.random().value().substring(0, 10).toLowerCase(java.util.Locale.ROOT))).build();
        return engine;
    }

    @Override
    protected int sweepExpired(int batchSize) {
        return engine.sweepExpired(batchSize);
    }
}
