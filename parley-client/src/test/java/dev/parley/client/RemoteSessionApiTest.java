package dev.parley.client;

import dev.parley.SessionApiContract;
import dev.parley.api.Sessions;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;

import java.util.Map;

/**
 * The whole session API contract through the client, against a real server started in-process for each test on
 * an ephemeral port, on an in-memory store and on the test's clock (so expiry moves when the test moves time).
 */
class RemoteSessionApiTest extends SessionApiContract {
    static final String KEY = "client-test-admin-key-0123456789";

    private ParleyServer server;

    /** A server on {@code clock} whose sweeper is off (tests sweep by hand) and whose rate limits are off. */
    static ParleyServer startServer(MutableClock clock, Map<String, String> settings) {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("port", "0", "store", "memory:", "apiKey", KEY,
                "rateLimit", "0", "sweepInterval", "0", "shutdownGrace", "0", "accessLog", "false"));
        all.putAll(settings);
        return ParleyServer.builder().config(ServerConfig.load(null, Map.of(), all)).clock(clock).environment(Map.of()).start();
    }

    @Override
    protected Sessions newSessions(MutableClock clock) {
        server = startServer(clock, Map.of("sweepBatch", "10"));
        return ParleyClient.builder().baseUrl(server.url()).apiKey(KEY).build();
    }

    /** The server sweeps in batches of its {@code sweepBatch} setting, which {@link #newSessions} sets to what the contract asks. */
    @Override
    protected int sweepExpired(int batchSize) {
        if (batchSize != 10) {
            throw new IllegalArgumentException("the test server sweeps in batches of 10, not " + batchSize);
        }
        return server.sweepExpiredNow();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
