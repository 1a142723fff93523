package dev.parley.store.redis;

import dev.parley.StoreException;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import dev.parley.store.WriteRequest;
import dev.parley.store.redis.testing.LocalRedisCluster;
import dev.parley.store.redis.testing.TestAuthority;
import dev.parley.testing.Services;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * rediss-cluster:// against a 3-master cluster whose nodes speak only TLS, as managed services set them up: the
 * nodes' certificate names a host ({@code localhost}) while the cluster announces its nodes by IP address (127.0.0.1).
 */
class RedisTlsClusterTest {
    @TempDir
    static Path dir;
    private static TestAuthority authority;
    private static LocalRedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Services.require("Redis Cluster with TLS (redis-server, redis-cli and openssl on the PATH)",
                LocalRedisCluster.binariesAvailable() && TestAuthority.opensslAvailable(),
                "install them with: apt-get install redis-server openssl");
        authority = TestAuthority.create(dir, "parley-test-ca");
        cluster = LocalRedisCluster.startTls(3, authority.issue("node", "DNS:localhost"), authority.certificate());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withVerifyCaSessionsOnEveryNodeAreWrittenAndReadOverTls() {
        String url = cluster.url() + "&verify=ca";
        assertThat(url).startsWith("rediss-cluster://127.0.0.1:").contains("?ca=");
        Instant now = Instant.now();
        try (SessionStore store = SessionStores.open(url, Clock.systemUTC())) {
            assertThat(store.describe()).startsWith("rediss-cluster://127.0.0.1:")
                    .endsWith("?prefix=parley&ca=" + authority.certificate() + "&verify=ca");

            // Sessions until each of the three masters holds two (redis-cli --cluster create gives them slots 0-5460,
            // 5461-10922 and 10923-16383), so every node is reached over a TLS connection of its own, opened from the
            // topology the seeds announced.
            Keys keys = new Keys(RedisLocation.DEFAULT_PREFIX);
            TenantId tenant = TenantId.of("tls");
            List<SessionId> ids = new ArrayList<>();
            int[] perNode = new int[3];
            while (Arrays.stream(perNode).anyMatch(n -> n < 2)) {
                SessionId id = SessionId.random();
                int slot = SlotHash.getSlot(keys.session(tenant, id).base());
                int node = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
                if (perNode[node]++ >= 2) {
                    continue;
                }
                store.create(new NewSession(tenant, id, UserId.of("alice"), now, null, null, Map.of(), Map.of(),
                        List.of(draft(now, Message.user("question " + ids.size())))));
                store.write(tenant, id, WriteRequest.builder(now)
                        .append(Names.MAIN, List.of(draft(now, Message.assistant("answer " + ids.size())))).build());
                ids.add(id);
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat(store.entries(tenant, ids.get(i), 0, 10))
                        .extracting(e -> ((Payload.MessagePayload) e.payload()).message().text())
                        .containsExactly("question " + i, "answer " + i);
            }
            assertThat(store.list(tenant, UserId.of("alice"), null, 10).items()).hasSize(6);
        }
    }

    @Test
    void byDefaultANodeAnnouncedByAnAddressItsCertificateDoesNotNameIsRefusedSuggestingVerifyCa() {
        // The seeds are reached as localhost, which the certificate names; the nodes they announce, as 127.0.0.1.
        String url = cluster.url().replace("127.0.0.1", "localhost");
        assertThatThrownBy(() -> RedisSessionStore.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to rediss-cluster://localhost:")
                .hasMessageContaining("TLS handshake failed: the server's certificate does not name the host it was reached at")
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("add verify=ca (host names are then not checked)");
    }

    @Test
    void aClusterNoTrustedCaVouchesForIsRefusedNamingTheBundleEvenWithVerifyCa() throws Exception {
        TestAuthority stranger = TestAuthority.create(dir, "stranger-ca");
        String url = cluster.url().replace("rediss-cluster://", "rediss-cluster://:hunter2@")
                .replace(authority.certificate().toString(), stranger.certificate().toString()) + "&verify=ca";
        assertThatThrownBy(() -> RedisSessionStore.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to rediss-cluster://127.0.0.1:")
                .hasMessageContaining("TLS handshake failed: the server's certificate is not trusted: no CA in the CA bundle "
                        + stranger.certificate() + " vouches for it")
                .hasMessageNotContaining("hunter2");
    }

    private static EntryDraft draft(Instant at, Message message) {
        return new EntryDraft(at, EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }
}
