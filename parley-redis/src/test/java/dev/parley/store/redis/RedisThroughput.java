package dev.parley.store.redis;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.WriteRequest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends per second through {@link RedisSessionStore} from concurrent writers in one process, each
 * appending one message at a time (as a chat turn does) and waiting for Redis to acknowledge it. Not a
 * test; a plain main so it runs on a machine you choose, for as long as you choose. Its keys live under
 * a prefix of their own, deleted at the end.
 *
 * <pre>
 * ./mvnw -q -o -pl parley-redis test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd parley-redis &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     dev.parley.store.redis.RedisThroughput --writers 64 --seconds 20 --warmup 10
 * </pre>
 *
 * Options: {@code --url redis://…} or {@code redis-cluster://…} (default: the test server),
 * {@code --writers N} (64), {@code --seconds N} (20, measured after {@code --warmup N}, 10),
 * {@code --shared-session} (all writers on one session instead of one session each).
 */
public final class RedisThroughput {
    private RedisThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = options.getOrDefault("url", TestRedis.URL);
        int writers = Integer.parseInt(options.getOrDefault("writers", "64"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        boolean shared = options.containsKey("shared-session");
        String prefix = TestRedis.newPrefix("bench");

        TenantId tenant = TenantId.of("bench");
        try (RedisSessionStore store = RedisSessionStore.builder().url(url).keyPrefix(prefix).build()) {
            List<SessionId> sessions = new ArrayList<>();
            for (int w = 0; w < (shared ? 1 : writers); w++) {
                SessionId id = SessionId.of("bench-" + w);
                store.create(new NewSession(tenant, id, UserId.of("user" + w), now(), null, null, Map.of(), Map.of(),
                        List.of(draft(Message.system("You are a concise assistant.")))));
                sessions.add(id);
            }
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            LongAdder appends = new LongAdder();
            LongAdder latencyNanos = new LongAdder();
            CountDownLatch done = new CountDownLatch(writers);
            String text = "How do I keep a conversation's history small without losing what matters? ".repeat(3);
            for (int w = 0; w < writers; w++) {
                SessionId id = sessions.get(shared ? 0 : w);
                Thread.ofVirtual().name("writer-" + w).start(() -> {
                    try {
                        while (!stop.get()) {
                            long start = System.nanoTime();
                            store.write(tenant, id, WriteRequest.builder(now()).append(Names.MAIN, List.of(draft(Message.user(text)))).build());
                            if (measuring.get()) {
                                appends.increment();
                                latencyNanos.add(System.nanoTime() - start);
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            Thread.sleep(warmup * 1000L);
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            done.await();
            long n = appends.sum();
            System.out.printf(Locale.ROOT, "%s, %d virtual-thread writers on %s: %d appends in %.1f s = %.0f appends/s,"
                            + " mean latency %.2f ms; %d cores%n", store.describe(), writers,
                    shared ? "one shared session" : "a session each", n, elapsed, n / elapsed, n == 0 ? 0 : latencyNanos.sum() / 1e6 / n,
                    Runtime.getRuntime().availableProcessors());
        } finally {
            if (url.equals(TestRedis.URL)) {
                TestRedis.require();
                TestRedis.deleteKeys(prefix);
            }
        }
    }

    private static Instant now() {
        return Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static EntryDraft draft(Message message) {
        return new EntryDraft(now(), EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'; options start with --");
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }
}
