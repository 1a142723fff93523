package dev.parley.bench;

import dev.parley.domain.SessionId;
import dev.parley.store.WriteResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Durable appends per second with 64 writers, each appending to its own session through one
 * store: the group commit at work (many appends share each fsync). {@code appendMessage} writes one
 * message of about 400 bytes per append; {@code appendTurn} a user message and its reply in one write.
 * The score is the writes per second summed over the 64 threads.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main SqliteThroughputBenchmark},
 * or with the others through {@code parley-bench/run}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(SqliteThroughputBenchmark.WRITERS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SqliteThroughputBenchmark {
    static final int WRITERS = 64;

    /** One store for all writers. */
    @State(Scope.Benchmark)
    public static class Store {
        BenchSessions sessions;
        final AtomicInteger nextSession = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            sessions = new BenchSessions();
        }

        @TearDown(Level.Trial)
        public void close() {
            sessions.close();
        }
    }

    /** Each writer's own session. */
    @State(Scope.Thread)
    public static class Writer {
        SessionId id;

        @Setup(Level.Trial)
        public void create(Store store) {
            id = SessionId.of("writer-" + store.nextSession.incrementAndGet());
            store.sessions.seed(id, 1);
        }
    }

    @Benchmark
    public WriteResult appendMessage(Store store, Writer writer) {
        return store.sessions.store().write(BenchSessions.TENANT, writer.id, BenchSessions.oneMessage());
    }

    @Benchmark
    public WriteResult appendTurn(Store store, Writer writer) {
        return store.sessions.store().write(BenchSessions.TENANT, writer.id, BenchSessions.turn());
    }
}
