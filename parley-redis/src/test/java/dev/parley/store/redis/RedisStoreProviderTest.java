package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import dev.parley.StoreException;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;
import dev.parley.store.SessionStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisStoreProviderTest {
    private static final String PREFIX = TestRedis.newPrefix("provider");

    @AfterAll
    static void deleteTheKeysOfThisRun() {
        TestRedis.deleteKeys(PREFIX);
    }

    @Test
    void theProviderIsRegisteredForThePlainAndTlsSchemesWithAUsageLine() {
        SessionStoreProvider provider = SessionStores.providers().stream()
                .filter(p -> p instanceof RedisStoreProvider).findFirst().orElseThrow();
        assertThat(provider.schemes()).containsExactlyInAnyOrder("redis", "rediss", "redis-cluster", "rediss-cluster");
        assertThat(provider.usage()).contains("redis://").contains("redis-cluster://").contains("rediss://")
                .contains("rediss-cluster://").contains("ca=");
    }

    @Test
    void aRedisUrlOpensARedisStoreThatDescribesItselfWithoutThePassword() {
        TestRedis.require();
        try (SessionStore store = SessionStores.open(TestRedis.URL + "/0?prefix=" + PREFIX, Clock.systemUTC())) {
            assertThat(store).isInstanceOf(RedisSessionStore.class);
            assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6379/0?prefix=" + PREFIX);
        }
    }

    @Test
    void aBadUrlFailsBeforeAnyConnectionIsTried() {
        assertThatThrownBy(() -> SessionStores.open("redis://h:6379/notadb", Clock.systemUTC()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only a database number");
        assertThatThrownBy(() -> SessionStores.open("rediss-cluster://h:6379?verify=none", Clock.systemUTC()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("verify=none");
        assertThatThrownBy(() -> RedisSessionStore.builder().build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs a URL");
        assertThatThrownBy(() -> RedisSessionStore.builder().keyPrefix("a{b}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("key prefix");
    }

    @Test
    void aServerThatIsNotThereIsAStoreErrorNamingIt() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "redis://:secret@127.0.0.1:" + port;
        assertThatThrownBy(() -> RedisSessionStore.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to redis://127.0.0.1:" + port)
                .hasMessageNotContaining("secret");
    }
}
