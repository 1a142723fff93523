package dev.parley.store.redis;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.EntryDraft;
import dev.parley.store.Idempotency;
import dev.parley.store.NewSession;
import dev.parley.store.PointerOp;
import dev.parley.store.Target;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Redis layout promises beyond the contract: Redis's own key expiry is only a backstop behind
 * the store's clock, stale index hints (a session whose keys Redis dropped, a creation that died
 * half-way, an earlier incarnation of an id) are never shown and are repaired by the sweeper, and old
 * idempotency records really leave Redis.
 */
class RedisStorageTest {
    private static final String PREFIX = TestRedis.newPrefix("storage");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("t" + SessionId.random().value().substring(0, 12));
    private final UserId alice = UserId.of("alice");
    private final Keys keys = new Keys(PREFIX);
    private RedisSessionStore store;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void open() {
        TestRedis.require();
        store = RedisSessionStore.builder().url(TestRedis.URL).keyPrefix(PREFIX).clock(clock).build();
        client = RedisClient.create(TestRedis.URL);
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            connection.close();
            client.shutdown();
        }
    }

    @AfterAll
    static void deleteTheKeysOfThisRun() {
        TestRedis.deleteKeys(PREFIX);
    }

    private EntryDraft msg(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private SessionId create(Instant expiresAt, Duration idleTtl) {
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, alice, clock.instant(), expiresAt, idleTtl, Map.of(), Map.of(), List.of(msg("a"))));
        return id;
    }

    private List<SessionId> listed() {
        return store.list(tenant, null, null, 100).items().stream().map(SessionInfo::id).toList();
    }

    @Test
    void redisExpiresASessionsKeysOnlyAnHourAfterTheStoreClockDoes() {
        SessionId id = create(clock.instant().plus(Duration.ofHours(1)), null);
        store.write(tenant, id, WriteRequest.builder(clock.instant()).idempotency(new Idempotency("k", "h"))
                .append(Names.MAIN, List.of(msg("b")))
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), null, clock.instant())).counter("n", 1).build());

        SessionKeys session = keys.session(tenant, id);
        long checked = 0;
        for (String key : session.all()) {
            if (redis.exists(key) == 1) {
                assertThat(redis.pttl(key)).as(key).isGreaterThan(Duration.ofHours(1).toMillis())
                        .isLessThanOrEqualTo(Duration.ofHours(2).toMillis());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);

        SessionId forever = create(null, null);
        assertThat(redis.pttl(keys.session(tenant, forever).info())).isEqualTo(-1);
    }

    @Test
    void aSessionWhoseKeysRedisDroppedIsNeverShownAndTheSweeperRemovesItsHints() {
        SessionId id = create(clock.instant().plus(Duration.ofHours(1)), null);
        SessionId keeper = create(null, null);
        redis.del(keys.session(tenant, id).all());

        assertThat(store.find(tenant, id)).isEmpty();
        assertThat(listed()).containsExactly(keeper);

        clock.advance(Duration.ofHours(2));
        assertThat(store.sweepExpired(10)).isZero();
        assertThat(redis.zrange(keys.sessionsOf(tenant), 0, -1)).singleElement().asString().contains(keeper.value());
        assertThat(redis.zrange(keys.sessionsOf(tenant, alice), 0, -1)).hasSize(1);
        assertThat(redis.zrange(keys.expiry(), 0, -1)).noneMatch(member -> member.contains(id.value()));
    }

    @Test
    void hintsOfACreationThatDiedHalfWayAreSkippedAndSweptTenMinutesLater() {
        SessionRef orphan = new SessionRef(tenant, SessionId.random(), alice, SessionRef.newUid(), clock.instant());
        try (Redis connection = Redis.connect(RedisLocation.parse(TestRedis.URL).withPrefix(PREFIX))) {
            new Index(new Backend(connection, keys, clock, new AccessCounter())).add(orphan, null);
        }
        SessionId real = create(null, null);
        assertThat(listed()).containsExactly(real);

        clock.advance(Index.PENDING.minusSeconds(1));
        store.sweepExpired(10);
        assertThat(redis.zcard(keys.sessionsOf(tenant))).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        store.sweepExpired(10);
        assertThat(redis.zrange(keys.sessionsOf(tenant), 0, -1)).singleElement().asString().contains(real.value());
        assertThat(redis.zrange(keys.sessionsOf(tenant, alice), 0, -1)).hasSize(1);
        assertThat(listed()).containsExactly(real);
    }

    @Test
    void theHintsOfAnExpiredIncarnationNeverAffectTheSessionThatReplacedIt() {
        SessionId id = SessionId.random();
        store.create(new NewSession(tenant, id, alice, clock.instant(), clock.instant().plus(Duration.ofMinutes(5)), null,
                Map.of(), Map.of(), List.of(msg("old"))));
        clock.advance(Duration.ofMinutes(10));
        store.create(new NewSession(tenant, id, UserId.of("bob"), clock.instant(), null, null, Map.of(), Map.of(), List.of(msg("new"))));

        assertThat(store.sweepExpired(10)).isZero();
        assertThat(listed()).containsExactly(id);
        assertThat(store.list(tenant, alice, null, 10).items()).isEmpty();
        assertThat(store.entries(tenant, id, 0, 10)).singleElement()
                .satisfies(e -> assertThat(e.message().orElseThrow().text()).isEqualTo("new"));
        assertThat(store.deleteUser(tenant, alice)).isZero();
        assertThat(store.find(tenant, id)).isPresent();
    }

    @Test
    void idempotencyRecordsLeaveRedisOnceTheyAreOlderThan24Hours() {
        SessionId id = create(null, null);
        store.write(tenant, id, WriteRequest.builder(clock.instant()).idempotency(new Idempotency("req-1", "h"))
                .append(Names.MAIN, List.of(msg("q"))).build());
        SessionKeys session = keys.session(tenant, id);
        assertThat(redis.hlen(session.idempotency())).isEqualTo(1);

        clock.advance(Duration.ofHours(23));
        store.sweepExpired(10);
        assertThat(redis.hlen(session.idempotency())).isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        store.sweepExpired(10);
        assertThat(redis.hlen(session.idempotency())).isZero();
        assertThat(redis.zcard(session.idempotencyTimes())).isZero();
        assertThat(redis.zrange(keys.idempotency(), 0, -1)).noneMatch(member -> member.contains(id.value()));
    }
}
