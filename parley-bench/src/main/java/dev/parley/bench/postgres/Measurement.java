package dev.parley.bench.postgres;

import dev.parley.bench.load.Latencies;
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
import dev.parley.store.postgres.PostgresSessionStore;
import dev.parley.store.postgres.PostgresUrl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One measurement on a fresh schema: the store, its writers' warm-up, then the timed window. Each writer appends one
 * user message at a time, as a chat turn does, and waits until it is committed ({@code synchronous_commit} as the server
 * has it, {@code on} by default): an append counts once {@code write} has returned.
 */
final class Measurement {
    private static final TenantId TENANT = TenantId.of("bench");
    private static final String TEXT = "How do I keep a conversation's history small without losing what matters? ".repeat(3);
    /** How long writers may take to finish their last append after the window closed before the run is called stuck. */
    private static final long DRAIN_SECONDS = 60;

    /**
     * What one measurement saw. CPU figures are over the timed window; the server's are -1 when its processes could not
     * be read from {@code /proc} (a server on another machine or in another pid namespace).
     *
     * @param latencyNanos       the sum of every timed append's latency (for the mean)
     * @param errors             writes that failed, in the warm-up or the window
     * @param firstError         the first failure's message; empty without one
     * @param backendCpuNanos    CPU of the server processes serving the store's pool
     * @param backgroundCpuNanos CPU of the server's own processes (WAL writer, checkpointer, …), which serve every client
     */
    record Outcome(int number, long appends, long windowNanos, Latencies latencies, long latencyNanos, long errors, String firstError,
                   long clientCpuNanos, long backendCpuNanos, int backends, long backgroundCpuNanos) {
        double perSecond() {
            return appends * 1e9 / windowNanos;
        }

        double meanMillis() {
            return appends == 0 ? Double.NaN : latencyNanos / 1e6 / appends;
        }

        double clientMicros() {
            return micros(clientCpuNanos);
        }

        double backendMicros() {
            return micros(backendCpuNanos);
        }

        double backgroundMicros() {
            return micros(backgroundCpuNanos);
        }

        private double micros(long nanos) {
            return appends == 0 || nanos < 0 ? Double.NaN : nanos / 1e3 / appends;
        }
    }

    private Measurement() {
    }

    static Outcome run(PostgresOptions o, int number, Server server) throws SQLException, IOException, InterruptedException {
        server.dropSchema();
        // A name of its own for the pool's connections, so the server processes serving them (and no one else's) are found.
        String application = "parley-bench-" + ProcessHandle.current().pid() + "-" + number;
        PostgresUrl url = o.url();
        try (PostgresSessionStore store = PostgresSessionStore.builder()
                .jdbcUrl(url.jdbcUrl() + "?ApplicationName=" + application, url.user(), url.password()).schema(url.schema())
                .groupCommit(o.groupCommit()).committers(o.committers()).poolSize(o.pool())
                .gatherWindow(Duration.ofNanos(o.gatherMicros() * 1000L)).build()) {
            return measure(o, number, server, store, application);
        } finally {
            server.dropSchema();
        }
    }

    private static Outcome measure(PostgresOptions o, int number, Server server, PostgresSessionStore store, String application)
            throws SQLException, IOException, InterruptedException {
        List<SessionId> sessions = new ArrayList<>();
        for (int w = 0; w < (o.sharedSession() ? 1 : o.writers()); w++) {
            SessionId id = SessionId.of("bench-" + w);
            store.create(new NewSession(TENANT, id, UserId.of("user" + w), now(), null, null, Map.of(), Map.of(),
                    List.of(draft(Message.system("You are a concise assistant.")))));
            sessions.add(id);
        }

        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(o.writers());
        List<Writer> writers = new ArrayList<>();
        for (int w = 0; w < o.writers(); w++) {
            Writer writer = new Writer(store, sessions.get(o.sharedSession() ? 0 : w), measuring, stop, done);
            writers.add(writer);
            (o.platformWriters() ? Thread.ofPlatform() : Thread.ofVirtual()).name("writer-" + w).start(writer);
        }
        try {
            sleep(o.warmupSeconds());
            ServerCpu backends = ServerCpu.read(server.backends(application));
            ServerCpu background = ServerCpu.read(server.backgroundProcesses());
            long client = processCpuNanos();
            measuring.set(true);
            long start = System.nanoTime();
            sleep(o.seconds());
            measuring.set(false);
            long window = System.nanoTime() - start;
            client = processCpuNanos() - client;
            long backendNanos = backends.processes() == 0 ? -1 : backends.nanosUntil(backends.again());
            long backgroundNanos = background.processes() == 0 ? -1 : background.nanosUntil(background.again());
            stop.set(true);
            if (!done.await(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(done.getCount() + " of " + o.writers() + " writers were still waiting for an append "
                        + DRAIN_SECONDS + " s after the timed window closed");
            }
            long appends = writers.stream().mapToLong(w -> w.latencies.count()).sum();
            long errors = writers.stream().mapToLong(w -> w.errors).sum();
            String firstError = writers.stream().map(w -> w.firstError).filter(e -> e != null).findFirst().orElse("");
            return new Outcome(number, appends, window, Latencies.merge(writers.stream().map(w -> w.latencies).toList()),
                    writers.stream().mapToLong(w -> w.latencyNanos).sum(), errors, firstError, client, backendNanos, backends.processes(),
                    backgroundNanos);
        } finally {
            stop.set(true);
        }
    }

    /** One writer: appends until stopped; what it records is read only after it has counted down {@code done}. */
    private static final class Writer implements Runnable {
        private final PostgresSessionStore store;
        private final SessionId session;
        private final AtomicBoolean measuring;
        private final AtomicBoolean stop;
        private final CountDownLatch done;
        private final Latencies latencies = new Latencies();
        private long latencyNanos;
        private long errors;
        private String firstError;

        Writer(PostgresSessionStore store, SessionId session, AtomicBoolean measuring, AtomicBoolean stop, CountDownLatch done) {
            this.store = store;
            this.session = session;
            this.measuring = measuring;
            this.stop = stop;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        store.write(TENANT, session, WriteRequest.builder(now()).append(Names.MAIN, List.of(draft(Message.user(TEXT)))).build());
                    } catch (RuntimeException e) {
                        errors++;
                        if (firstError == null) {
                            String message = String.valueOf(e.getMessage());
                            firstError = e.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
                        }
                        continue;
                    }
                    if (measuring.get()) {
                        long elapsed = System.nanoTime() - start;
                        latencies.add(elapsed);
                        latencyNanos += elapsed;
                    }
                }
            } finally {
                done.countDown();
            }
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its process CPU time");
    }

    private static Instant now() {
        return Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static EntryDraft draft(Message message) {
        return new EntryDraft(now(), EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }
}
