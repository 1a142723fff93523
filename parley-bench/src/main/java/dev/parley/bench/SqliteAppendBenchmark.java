package dev.parley.bench;

import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.store.WriteResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * One chat turn (a user message and the assistant's reply, one durable write) appended to main of a
 * session that already holds {@code historyLength} turns (twice as many messages). Single-threaded, so every append waits
 * for its own fsync: this is the latency a lone writer sees. The cost must not depend on the length.
 *
 * <p>Each iteration starts from the same history: main is pointed back at the seeded head.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main SqliteAppendBenchmark},
 * or with the others through {@code parley-bench/run}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SqliteAppendBenchmark {

    @Param({"10", "1000", "10000"})
    public int historyLength;

    private BenchSessions sessions;
    private final SessionId id = SessionId.of("append");
    private EntryId seededHead;

    @Setup(Level.Trial)
    public void seed() {
        sessions = new BenchSessions();
        seededHead = sessions.seed(id, historyLength);
    }

    @Setup(Level.Iteration)
    public void rewind() {
        sessions.resetMain(id, seededHead);
    }

    @TearDown(Level.Trial)
    public void close() {
        sessions.close();
    }

    @Benchmark
    public WriteResult appendTurn() {
        return sessions.store().write(BenchSessions.TENANT, id, BenchSessions.turn());
    }
}
