package dev.parley.pool;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SessionPoolTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final Parley parley = Parley.inMemory();
    private final List<String> evicted = new ArrayList<>();

    private SessionPool pool(int max) {
        return SessionPool.builder(parley).maximumSize(max).expireAfterIdle(Duration.ofMinutes(10)).ticker(ticker)
                .onEviction((id, reason) -> evicted.add(id + ":" + reason)).build();
    }

    @Test
    void idleHandlesExpireWithoutLosingData() {
        SessionPool pool = pool(10);
        Session s = pool.create(SessionSpec.builder().build());
        s.add(Message.user("kept"));
        nanos.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(pool.size()).isZero();
        assertThat(evicted).containsExactly(s.id() + ":IDLE");
        assertThat(pool.get(s.id()).messages()).extracting(Message::text).containsExactly("kept");
    }

    @Test
    void recentlyUsedHandlesStayWhileIdleOnesExpire() {
        SessionPool pool = pool(10);
        Session a = pool.create(SessionSpec.builder().build());
        Session b = pool.create(SessionSpec.builder().build());
        nanos.addAndGet(Duration.ofMinutes(6).toNanos());
        pool.get(a.id());
        nanos.addAndGet(Duration.ofMinutes(6).toNanos());
        assertThat(pool.getIfPresent(a.id())).isPresent();
        assertThat(pool.getIfPresent(b.id())).isEmpty();
    }

    @Test
    void thePoolNeverHoldsMoreThanItsMaximumAndEvictionLosesNothing() {
        SessionPool pool = pool(2);
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Session s = pool.create(SessionSpec.builder().build());
            s.add(Message.user("m" + i));
            ids.add(s.id());
        }
        assertThat(pool.size()).isLessThanOrEqualTo(2);
        assertThat(evicted).hasSize(3).allSatisfy(e -> assertThat(e).endsWith(":SIZE"));
        for (int i = 0; i < 5; i++) {
            assertThat(parley.open(ids.get(i)).messages()).extracting(Message::text).containsExactly("m" + i);
        }
    }

    @Test
    void destroyingClosesHandlesButKeepsSessions() {
        SessionPool pool = pool(10);
        Session a = pool.create(SessionSpec.builder().build());
        Session b = pool.create(SessionSpec.builder().build());
        a.state().temp().put("scratch", 1);
        pool.destroy(a.id());
        assertThat(a.state().temp().all()).isEmpty();
        pool.destroyAll();
        assertThat(pool.size()).isZero();
        assertThat(evicted).containsExactlyInAnyOrder(a.id() + ":DESTROYED", b.id() + ":DESTROYED");
        assertThat(parley.exists(a.id())).isTrue();
    }
}
