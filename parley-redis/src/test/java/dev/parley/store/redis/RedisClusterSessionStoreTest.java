package dev.parley.store.redis;

import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.Idempotency;
import dev.parley.store.PointerOp;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import dev.parley.store.Target;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import dev.parley.testing.Services;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import dev.parley.store.redis.testing.LocalRedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole store contract against a 3-master Redis Cluster this class starts on loopback ports. */
class RedisClusterSessionStoreTest extends SessionStoreContract {
    private static LocalRedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Services.require("Redis Cluster (redis-server and redis-cli on the PATH)", LocalRedisCluster.binariesAvailable(),
                "install them with: apt-get install redis-server");
        cluster = LocalRedisCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected SessionStore newStore(MutableClock clock) {
        return RedisSessionStore.builder().url(cluster.url()).clock(clock).build();
    }

    @Test
    void olderDataOnEveryNodeIsIndexedWhenAStoreFirstOpensIt() {
        List<TenantId> written = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TenantId t = TenantId.of(tenant.value() + "-" + i);
            store.userKeyIfAbsent(t, alice, "wrapped-" + i);
            written.add(t);
        }
        Keys keys = new Keys(RedisLocation.DEFAULT_PREFIX);
        RedisClusterClient client = RedisClusterClient.create(cluster.ports().stream()
                .map(port -> RedisURI.create("127.0.0.1", port)).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = connection.sync();
            Set<String> nodes = new HashSet<>();
            written.forEach(t -> nodes.add(connection.getPartitions()
                    .getPartitionBySlot(redis.clusterKeyslot(keys.userKeys(t)).intValue()).getNodeId()));
            assertThat(nodes).as("the tenants' keys are spread over several nodes").hasSizeGreaterThan(1);
            redis.del(keys.tenantHints());
            redis.del(keys.tenantTokens());
            redis.del(keys.directoryIndexed());
        } finally {
            client.shutdown();
        }

        try (SessionStore reopened = newStore(clock)) {
            List<TenantId> listed = reopened.tenants(null, 1000).items();
            assertThat(listed).containsAll(written);
            written.forEach(t -> assertThat(reopened.users(t, null, 10).items()).containsExactly(alice));
        }
    }

    @Test
    void everyKeyOfASessionLivesInOneSlot() {
        SessionId id = newSession(msg("a"));
        store.write(tenant, id, WriteRequest.builder(now()).idempotency(new Idempotency("k", "h"))
                .append(Names.MAIN, List.of(msg("b")))
                .op(new PointerOp.AddCheckpoint("cp", Target.head(Names.MAIN), null, now()))
                .op(new PointerOp.SetBranch("alt", Target.head(Names.MAIN), PointerOp.Mode.CREATE))
                .vault(List.of(new VaultRow("<EMAIL_1>", "lk", "c2VjcmV0")))
                .counter("messages.user", 1).build());
        SessionKeys keys = new Keys(RedisLocation.DEFAULT_PREFIX).session(tenant, id);

        RedisClusterClient client = RedisClusterClient.create(cluster.ports().stream()
                .map(port -> RedisURI.create("127.0.0.1", port)).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = connection.sync();
            Set<Long> slots = new HashSet<>();
            for (String key : keys.all()) {
                slots.add(redis.clusterKeyslot(key));
            }
            assertThat(slots).hasSize(1);

            List<String> stored = new ArrayList<>();
            ScanIterator.scan(redis, ScanArgs.Builder.matches(keys.base() + "*").limit(1000)).forEachRemaining(stored::add);
            assertThat(stored).hasSizeGreaterThanOrEqualTo(10).allSatisfy(key -> assertThat(keys.all()).contains(key));
        } finally {
            client.shutdown();
        }
    }
}
