package dev.parley.store.redis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.InvalidInputException;
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
import dev.parley.store.redis.testing.LocalTlsRedis;
import dev.parley.store.redis.testing.TestAuthority;
import dev.parley.testing.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code rediss://} against real {@code redis-server} processes speaking TLS with certificates of a throw-away CA:
 * one naming 127.0.0.1 (the good server) and one naming only {@code localhost}, reached as 127.0.0.1.
 */
class RedisTlsTest {
    @TempDir
    static Path dir;
    private static TestAuthority authority;
    private static TestAuthority stranger;
    private static LocalTlsRedis server;
    private static LocalTlsRedis localhostOnly;

    @BeforeAll
    static void startServers() throws Exception {
        Services.require("redis-server and openssl (for TLS tests)", LocalRedisCluster.binariesAvailable() && TestAuthority.opensslAvailable(),
                "install them with: apt-get install redis-server openssl");
        authority = TestAuthority.create(dir, "parley-test-ca");
        stranger = TestAuthority.create(dir, "stranger-ca");
        server = LocalTlsRedis.start(dir, authority.issue("server", "DNS:localhost", "IP:127.0.0.1"), authority.certificate());
        localhostOnly = LocalTlsRedis.start(dir, authority.issue("localhost-only", "DNS:localhost"), authority.certificate());
    }

    @AfterAll
    static void stopServers() {
        for (LocalTlsRedis s : new LocalTlsRedis[]{server, localhostOnly}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static String url(LocalTlsRedis at, String parameters) {
        return "rediss://127.0.0.1:" + at.tlsPort() + "/0?prefix=tls-test" + parameters;
    }

    @Test
    void aStoreOverTlsTrustingTheNamedCaWritesAndReadsSessions() {
        String url = url(server, "&ca=" + authority.certificate());
        try (SessionStore store = SessionStores.open(url, Clock.systemUTC())) {
            assertThat(store).isInstanceOf(RedisSessionStore.class);
            assertThat(store.describe()).isEqualTo(url);

            TenantId tenant = TenantId.of("tls");
            SessionId id = SessionId.random();
            Instant now = Instant.now();
            store.create(new NewSession(tenant, id, UserId.of("alice"), now, null, null, Map.of(), Map.of(),
                    List.of(draft(now, Message.user("over TLS")))));
            store.write(tenant, id, WriteRequest.builder(now).append(Names.MAIN, List.of(draft(now, Message.assistant("still encrypted")))).build());

            assertThat(store.entries(tenant, id, 0, 10)).extracting(e -> ((Payload.MessagePayload) e.payload()).message().text())
                    .containsExactly("over TLS", "still encrypted");
        }
    }

    @Test
    void manyThreadsSharingTheOneTlsConnectionAllLand() throws Exception {
        try (SessionStore store = RedisSessionStore.open(url(server, "&ca=" + authority.certificate()))) {
            TenantId tenant = TenantId.of("tls-concurrent");
            SessionId id = SessionId.random();
            Instant now = Instant.now();
            store.create(new NewSession(tenant, id, UserId.of("alice"), now, null, null, Map.of(), Map.of(), List.of()));
            try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < 10; i++) {
                            store.write(tenant, id, WriteRequest.builder(now)
                                    .append(Names.MAIN, List.of(draft(now, Message.user(thread + "-" + i)))).build());
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            assertThat(store.entries(tenant, id, 0, 1000)).hasSize(80)
                    .extracting(e -> ((Payload.MessagePayload) e.payload()).message().text()).doesNotHaveDuplicates();
        }
    }

    @Test
    void aServerNoTrustedCaVouchesForIsRefusedNamingTheTrustStore() {
        // No ca=: the JDK's trust store, which has never heard of the test CA. The password is never shown.
        String url = "rediss://:hunter2@127.0.0.1:" + server.tlsPort();
        assertThatThrownBy(() -> RedisSessionStore.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to rediss://127.0.0.1:" + server.tlsPort() + "/0?prefix=parley: TLS handshake failed:")
                .hasMessageContaining("the server's certificate is not trusted: no CA in the JDK's trust store vouches for it")
                .hasMessageContaining("name the server's CA with ca=FILE.pem")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aServerSignedByAnotherCaIsRefusedNamingTheBundle() {
        assertThatThrownBy(() -> RedisSessionStore.open(url(server, "&ca=" + stranger.certificate())))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("TLS handshake failed: the server's certificate is not trusted: no CA in the CA bundle "
                        + stranger.certificate() + " vouches for it");
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() {
        assertThatThrownBy(() -> RedisSessionStore.open(url(localhostOnly, "&ca=" + authority.certificate())))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to rediss://127.0.0.1:" + localhostOnly.tlsPort())
                .hasMessageContaining("TLS handshake failed: the server's certificate does not name the host it was reached at")
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void verifyCaAcceptsATrustedCertificateForAnotherHostAndWarnsThatItDoesSo() {
        Logger logger = (Logger) LoggerFactory.getLogger(Redis.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        String url = url(localhostOnly, "&ca=" + authority.certificate() + "&verify=ca");
        try (SessionStore store = RedisSessionStore.open(url)) {
            assertThat(store.describe()).isEqualTo(url);
            assertThat(store.find(TenantId.of("tls"), SessionId.random())).isEmpty();
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains(url).contains("TLS host names are NOT checked (verify=ca)");
        });

        // The chain is still checked.
        assertThatThrownBy(() -> RedisSessionStore.open(url(localhostOnly, "&ca=" + stranger.certificate() + "&verify=ca")))
                .isInstanceOf(StoreException.class).hasMessageContaining("certificate is not trusted");
    }

    @Test
    void aCaBundleThatCannotBeUsedIsRefusedBeforeConnecting() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> RedisSessionStore.open("rediss://:hunter2@127.0.0.1:" + server.tlsPort() + "?ca=" + missing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("store URL 'rediss://127.0.0.1:" + server.tlsPort() + "/0?prefix=parley&ca=" + missing
                        + "' names CA bundle " + missing + " (ca=), which does not exist");

        Path notPem = Files.writeString(dir.resolve("not.pem"), "this is not a certificate\n");
        assertThatThrownBy(() -> RedisSessionStore.open(url(server, "&ca=" + notPem)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names CA bundle " + notPem + " (ca=), which ");

        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> RedisSessionStore.open(url(server, "&ca=" + empty)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names CA bundle " + empty + " (ca=), which holds no certificates");
    }

    @Test
    void aPlainUrlAtATlsPortSuggestsRediss() {
        // (A TLS URL at a plain port waits for the handshake to time out, 10 s: ConnectFailureTest covers it.)
        assertThatThrownBy(() -> RedisSessionStore.open("redis://127.0.0.1:" + server.tlsPort()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to redis://127.0.0.1:" + server.tlsPort())
                .hasMessageContaining("if the server only speaks TLS, write rediss://");
    }

    private static EntryDraft draft(Instant at, Message message) {
        return new EntryDraft(at, EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }
}
