package dev.parley.cli.scale;

import dev.parley.cli.TestPostgres;
import dev.parley.json.ParleyJson;
import dev.parley.store.redis.testing.LocalRedisCluster;
import dev.parley.testing.Services;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out: three {@code parley serve} processes on one shared backend, configured alike (API key, master key,
 * token secret), and 32 clients spreading their requests over them: appends to one shared session and to their own,
 * conditional ones (some stale), and retries with the same idempotency key through another server. Afterwards the
 * servers and the store itself must hold every acknowledged append exactly once and nothing a refusal left behind,
 * and a session token any server issued must open the session on all of them.
 *
 * <p>The clients' choices are random from a seed that is printed; rerun one with {@code -Dparley.scale.seed=N}.
 */
class ScaleOutTest {
    private static final int SERVERS = 3;
    private static final int CLIENTS = 32;
    private static final String API_KEY = "scale-out-test-key-0123456789";
    private static final String SHARED = "shared";
    /** A bound on clients stuck on a hung server, not a measurement: a healthy run needs a few seconds. */
    private static final long CLIENTS_BOUND_SECONDS = 180;

    @TempDir
    Path dir;

    @Test
    void threeServersSharingPostgresKeepEveryAcknowledgedAppendExactlyOnceAndNoRefusedOne() throws Exception {
        TestPostgres.require();
        String schema = TestPostgres.freshSchema("parley_scale");
        try {
            scaleOut("PostgreSQL", TestPostgres.location(schema));
        } finally {
            TestPostgres.drop(schema);
        }
    }

    @Test
    void threeServersSharingARedisClusterKeepEveryAcknowledgedAppendExactlyOnceAndNoRefusedOne() throws Exception {
        Services.require("Redis Cluster (redis-server and redis-cli on the PATH)", LocalRedisCluster.binariesAvailable(),
                "install them with: apt-get install redis-server");
        try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
            scaleOut("Redis Cluster", cluster.url());
        }
    }

    private void scaleOut(String backend, String location) throws Exception {
        long seed = Long.getLong("parley.scale.seed", new SecureRandom().nextLong());
        System.out.printf("%s scale-out: seed %d (rerun with -Dparley.scale.seed=%d)%n", backend, seed, seed);
        long started = System.nanoTime();
        Http http = new Http(API_KEY);
        Ledger ledger = new Ledger(SERVERS);
        Map<String, Long> created = new LinkedHashMap<>();
        Verifier verifier;
        try (ServerFleet fleet = ServerFleet.start(SERVERS, location, API_KEY, sharedSecrets(), dir, http)) {
            List<String> servers = fleet.urls();
            long up = System.nanoTime();
            created.put(SHARED, create(http, servers.getFirst(), SHARED));
            for (int i = 0; i < CLIENTS; i++) {
                created.put(own(i), create(http, servers.get(i % SERVERS), own(i)));
            }
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new Client(i, seed, http, servers, ledger, SHARED, own(i), created.get(own(i))));
            }
            runTogether(clients);
            System.out.printf("%s scale-out: servers up after %d ms, clients done %d ms later%n", backend,
                    TimeUnit.NANOSECONDS.toMillis(up - started), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up));

            assertThat(ledger.unexpected()).as("answers the API should not have given (seed %d)", seed).isEmpty();
            verifier = new Verifier(ledger, created);
            verifier.throughApi(http, servers, servers.get(1), SHARED);
            sessionTokensOfOneServerOpenTheSessionOnEvery(http, servers);
            assertThat(fleet.errorLines()).as("errors the servers logged").isEmpty();
        }
        verifier.inStore(location);
        assertThat(ledger.acks()).as("acknowledged appends").hasSizeGreaterThan(CLIENTS * Client.OPERATIONS / 2);
        System.out.printf("%s in %d ms (seed %d)%n", ledger.summary(backend, CLIENTS),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), seed);
    }

    /** A session token one server signed is accepted by every other: they share the token secret. */
    private static void sessionTokensOfOneServerOpenTheSessionOnEvery(Http http, List<String> servers) throws Exception {
        Http.Response issued = http.post(servers.getFirst(), "/v1/sessions/" + SHARED + "/tokens", "{\"ttl\": 300}", Map.of());
        assertThat(issued.status()).as("issuing a session token: %s", issued).isEqualTo(201);
        Http holder = new Http(issued.json().get("token").asString());
        for (String server : servers) {
            Http.Response read = holder.get(server, "/v1/sessions/" + SHARED + "/messages?limit=1");
            assertThat(read.status()).as("reading with the session token through %s: %s", server, read).isEqualTo(200);
        }
    }

    /** Secrets every server of a deployment must share: generated for this run, given as the environment. */
    private static Map<String, String> sharedSecrets() {
        return Map.of("PARLEY_MASTER_KEY", randomHex(), "PARLEY_TOKEN_SECRET", randomHex());
    }

    private static String randomHex() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Creates a session through {@code server}; returns its version. */
    private static long create(Http http, String server, String id) throws Exception {
        Http.Response answer = http.post(server, "/v1/sessions", ParleyJson.write(ParleyJson.object().put("id", id)
                .put("userId", "scale-user")), Map.of());
        assertThat(answer.status()).as("creating %s through %s: %s", id, server, answer).isEqualTo(201);
        return answer.etag();
    }

    private static String own(int client) {
        return String.format("own-%02d", client);
    }

    /** Starts every client at once (so their requests contend) and waits for all of them. */
    private static void runTogether(List<Client> clients) throws InterruptedException, TimeoutException {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(clients.size())) {
            List<Future<Void>> running = new ArrayList<>();
            for (Client client : clients) {
                running.add(pool.submit(() -> {
                    start.await();
                    return client.call();
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLIENTS_BOUND_SECONDS);
            for (Future<Void> client : running) {
                try {
                    client.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("a client failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    pool.shutdownNow();
                    throw e;
                }
            }
        }
    }
}
