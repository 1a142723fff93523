package dev.parley.store.postgres;

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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable appends per second through {@link PostgresSessionStore}, from concurrent writers in one
 * process: each writer appends one message at a time (as a chat turn does) and waits until it is
 * committed ({@code synchronous_commit} as the server has it, {@code on} by default). Not a test; a
 * plain main so it runs on a machine you choose, for as long as you choose.
 *
 * <pre>
 * ./mvnw -q -o -pl parley-postgres test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd parley-postgres &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     dev.parley.store.postgres.PostgresThroughput --writers 64 --seconds 20 --warmup 15
 * </pre>
 *
 * Options: {@code --url postgres://…?schema=…} (default: the test server, schema {@code parley_bench},
 * dropped first), {@code --writers N} (64), {@code --seconds N} (20, measured after {@code --warmup N},
 * 15, which lets the JIT settle), {@code --group-commit true|false}, {@code --committers N} (2),
 * {@code --shared-session} (all writers on one session instead of one session each),
 * {@code --platform-writers} (writers on platform threads; by default they are virtual threads, as
 * requests are in {@code parley serve}), {@code --pool N} (connections; committers + 8 with group
 * commit, writers + 2 without).
 *
 * <p>Besides appends per second it prints the CPU time spent per append, in this process and in its
 * PostgreSQL backends (read from {@code /proc}, so only for a server on the same machine): unlike the
 * rate, that figure does not depend on what else the machine is running.
 */
public final class PostgresThroughput {
    private PostgresThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = options.getOrDefault("url", TestDatabase.URL + "?schema=parley_bench");
        int writers = Integer.parseInt(options.getOrDefault("writers", "64"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "15"));
        boolean groupCommit = Boolean.parseBoolean(options.getOrDefault("group-commit", "true"));
        int committers = Integer.parseInt(options.getOrDefault("committers", "2"));
        boolean shared = options.containsKey("shared-session");
        boolean platformWriters = options.containsKey("platform-writers");
        int pool = Integer.parseInt(options.getOrDefault("pool", String.valueOf(groupCommit ? committers + 8 : writers + 2)));

        PostgresUrl where = PostgresUrl.parse(url);
        try (Connection c = DriverManager.getConnection(where.jdbcUrl(), where.user(), where.password());
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + where.schema() + "\" CASCADE");
        }
        TenantId tenant = TenantId.of("bench");
        try (PostgresSessionStore store = PostgresSessionStore.builder().url(where).groupCommit(groupCommit)
                .committers(committers).poolSize(pool).build()) {
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
                Thread.Builder threads = platformWriters ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.name("writer-" + w).start(() -> {
                    try {
                        while (!stop.get()) {
                            long start = System.nanoTime();
                            store.write(tenant, id, WriteRequest.builder(now())
                                    .append(Names.MAIN, List.of(draft(Message.user(text)))).build());
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
            List<Long> backends = backendPids(where);
            long clientCpu = processCpuNanos();
            long serverCpu = cpuNanos(backends);
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            clientCpu = processCpuNanos() - clientCpu;
            serverCpu = cpuNanos(backends) - serverCpu;
            stop.set(true);
            done.await();

            long n = appends.sum();
            System.out.printf(Locale.ROOT, "%s, %d %s writers on %s, group commit %s (%d committers): %d durable appends in %.1f s"
                            + " = %.0f appends/s, mean latency %.2f ms%n", store.describe(), writers,
                    platformWriters ? "platform-thread" : "virtual-thread", shared ? "one shared session" : "a session each", groupCommit ? "on" : "off", groupCommit ? committers : 0,
                    n, elapsed, n / elapsed, n == 0 ? 0 : latencyNanos.sum() / 1e6 / n);
            if (n > 0) {
                // CPU per append does not depend on what else the machine runs, unlike appends/s.
                System.out.printf(Locale.ROOT, "CPU per append: %.1f us in this process, %.1f us in its %d PostgreSQL backends"
                                + " (%s); %d cores%n", clientCpu / 1e3 / n, serverCpu / 1e3 / n, backends.size(),
                        backends.isEmpty() ? "backends not visible in /proc" : "read from /proc",
                        Runtime.getRuntime().availableProcessors());
            }
        }
    }

    /** The server processes serving this store's pool (same machine only: their CPU is read from /proc). */
    private static List<Long> backendPids(PostgresUrl where) throws java.sql.SQLException {
        List<Long> pids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(where.jdbcUrl(), where.user(), where.password());
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = 'parley'"
                     + " AND datname = current_database()")) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/" + pid + "/stat"))) {
                    pids.add(pid);
                }
            }
        }
        return pids;
    }

    /** User + system CPU of the processes, from /proc/PID/stat (fields 14 and 15, in clock ticks of 10 ms). */
    private static long cpuNanos(List<Long> pids) throws java.io.IOException {
        long ticks = 0;
        for (long pid : pids) {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks * 10_000_000L;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Instant now() {
        return Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static EntryDraft draft(Message message) {
        return new EntryDraft(now(), EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
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
