package dev.parley.store.redis;

import dev.parley.testing.Services;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis the tests share with other engineers (DESIGN §9: 127.0.0.1:6379). Each test class writes under
 * its own random key prefix and deletes only its own keys afterwards; nothing here ever flushes the server.
 */
final class TestRedis {
    static final String URL = "redis://127.0.0.1:6379";
    static final String HINT = "start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\""
            + " --appendonly no --dir /var/lib/redis";

    private static Boolean reachable;

    private TestRedis() {
    }

    /** Skips the calling test when the server does not answer, or fails it when PARLEY_REQUIRE_SERVICES=1. */
    static synchronized void require() {
        if (reachable == null) {
            reachable = answersPing("127.0.0.1", 6379);
        }
        Services.require("Redis at 127.0.0.1:6379", reachable, HINT);
    }

    /** Whether a Redis server answers PING at the address (a plain socket, so a probe never waits on a client's retries). */
    static boolean answersPing(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            System.err.println("Redis probe of " + host + ":" + port + " failed: " + e.getMessage());
            return false;
        }
    }

    /** A key prefix no other test run uses. */
    static String newPrefix(String name) {
        return "parley-test:" + name + ":" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** Deletes every key under {@code prefix} on the shared server, and nothing else. */
    static void deleteKeys(String prefix) {
        if (!Boolean.TRUE.equals(reachable)) {
            return;
        }
        RedisClient client = RedisClient.create(URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    redis.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }
}
