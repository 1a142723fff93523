package dev.parley.store.redis;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.NewSession;
import dev.parley.store.Scope;
import dev.parley.store.UserKeyRecord;
import dev.parley.testing.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant and user hints behind {@code tenants()} and {@code users()}: data written before they existed is
 * indexed when a store opens, an erased user's id leaves them, a hint found empty is dropped, and a hint noted
 * by a write after a reader looked is never dropped.
 */
class RedisDirectoryTest {
    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final String base = "t" + SessionId.random().value().substring(0, 12).toLowerCase(java.util.Locale.ROOT);
    private final TenantId first = TenantId.of(base + "-1");
    private final TenantId second = TenantId.of(base + "-2");
    private final TenantId third = TenantId.of(base + "-3");
    private final UserId alice = UserId.of("alice");
    private final UserId bob = UserId.of("bob");
    private String prefix;
    private Keys keys;
    private RedisSessionStore store;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void open() {
        TestRedis.require();
        prefix = TestRedis.newPrefix("directory");
        keys = new Keys(prefix);
        store = openStore();
        client = RedisClient.create(TestRedis.URL);
        connection = client.connect();
        redis = connection.sync();
    }

    private RedisSessionStore openStore() {
        return RedisSessionStore.builder().url(TestRedis.URL).keyPrefix(prefix).clock(clock).build();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            connection.close();
            client.shutdown();
            TestRedis.deleteKeys(prefix);
        }
    }

    /** Deletes every hint and the marker: Redis as a store from before the directory existed left it. */
    private void forgetTheDirectory() {
        redis.del(keys.tenantHints(), keys.tenantTokens(), keys.directoryIndexed());
        for (TenantId tenant : List.of(first, second, third)) {
            redis.del(keys.userHints(tenant), keys.userTokens(tenant), keys.userKeyIds(tenant));
        }
    }

    private List<TenantId> ours() {
        return store.tenants(null, 1000).items().stream().filter(t -> t.value().startsWith(base)).toList();
    }

    @Test
    void dataWrittenBeforeTheDirectoryExistedIsIndexedOnceWhenAStoreFirstOpensIt() {
        store.create(new NewSession(first, SessionId.random(), alice, clock.instant(), null, null, Map.of(), Map.of(), List.of()));
        store.putScoped(first, Scope.user(bob), "lang", "\"en\"", null);
        store.reserve(second, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.USER, "carol"), 10)), 1);
        store.userKeyIfAbsent(third, UserId.of("dave"), "wrapped-d");
        store.userKeyIfAbsent(third, UserId.of("erin"), "wrapped-e");
        store.close();
        forgetTheDirectory();

        store = openStore();

        assertThat(ours()).containsExactly(first, second, third);
        assertThat(store.users(first, null, 10).items()).containsExactly(alice, bob);
        assertThat(store.users(second, null, 10).items()).containsExactly(UserId.of("carol"));
        assertThat(store.userKeys(third, null, 1).items()).containsExactly(new UserKeyRecord(UserId.of("dave"), "wrapped-d"));
        assertThat(store.userKeys(third, store.userKeys(third, null, 1).nextCursor(), 1).items())
                .containsExactly(new UserKeyRecord(UserId.of("erin"), "wrapped-e"));

        store.close();
        redis.del(keys.tenantHints(), keys.tenantTokens());
        store = openStore();
        assertThat(ours()).as("indexed once: a second opening does not scan again").isEmpty();
    }

    @Test
    void erasingAUserTakesTheirIdOutOfTheDirectory() {
        store.create(new NewSession(first, SessionId.random(), alice, clock.instant(), null, null, Map.of(), Map.of(), List.of()));
        store.putScoped(first, Scope.user(alice), "lang", "\"en\"", null);
        store.userKeyIfAbsent(first, alice, "wrapped-a");
        store.userKeyIfAbsent(first, bob, "wrapped-b");
        assertThat(redis.zscore(keys.userHints(first), alice.value())).isNotNull();

        store.deleteUser(first, alice);

        assertThat(redis.zscore(keys.userHints(first), alice.value())).isNull();
        assertThat(redis.hget(keys.userTokens(first), alice.value())).isNull();
        assertThat(redis.zrange(keys.userKeyIds(first), 0, -1)).containsExactly(bob.value());
        assertThat(store.users(first, null, 10).items()).containsExactly(bob);
    }

    @Test
    void aTenantFoundEmptyIsDroppedFromTheHints() {
        store.putScoped(first, Scope.app(), "feature", "true", null);
        store.putScoped(second, Scope.app(), "feature", "true", null);
        store.putScoped(first, Scope.app(), "feature", null, null);

        assertThat(ours()).containsExactly(second);
        assertThat(redis.zscore(keys.tenantHints(), first.value())).isNull();
        assertThat(redis.zscore(keys.tenantHints(), second.value())).isNotNull();
    }

    @Test
    void aHintNotedByAWriteAfterItsTokenWasReadIsNeverDropped() {
        try (Redis connection = Redis.connect(RedisLocation.parse(TestRedis.URL).withPrefix(prefix))) {
            Backend backend = new Backend(connection, keys, clock, new AccessCounter());
            Directory directory = new Directory(backend, new Index(backend));
            directory.touch(first, alice);
            String readBeforeLooking = directory.userToken(first, alice);

            directory.touch(first, alice);
            directory.forgetUser(first, alice, readBeforeLooking);
            assertThat(redis.zscore(keys.userHints(first), alice.value())).as("noted meanwhile").isNotNull();

            directory.forgetUser(first, alice, directory.userToken(first, alice));
            assertThat(redis.zscore(keys.userHints(first), alice.value())).as("nothing behind it, no write since").isNull();
        }
    }

    @Test
    void aHintIsKeptWhileAnythingOfItsUserRemains() {
        store.putScoped(first, Scope.user(alice), "lang", "\"en\"", null);
        try (Redis connection = Redis.connect(RedisLocation.parse(TestRedis.URL).withPrefix(prefix))) {
            Backend backend = new Backend(connection, keys, clock, new AccessCounter());
            Directory directory = new Directory(backend, new Index(backend));

            directory.forgetUser(first, alice, directory.userToken(first, alice));

            assertThat(redis.zscore(keys.userHints(first), alice.value())).isNotNull();
            assertThat(store.users(first, null, 10).items()).containsExactly(alice);
        }
    }
}
