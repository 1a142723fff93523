package dev.parley.bench;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The last 20 entries of main (what a context window of recent turns reads), oldest first, from a
 * session holding {@code historyLength} turns (a user message and its reply each, so even the
 * shortest history has 20 entries to return). The cost must not depend on the length: the store
 * walks 20 parent links from the head.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main SqliteReadBenchmark},
 * or with the others through {@code parley-bench/run}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SqliteReadBenchmark {

    @Param({"10", "1000", "10000"})
    public int historyLength;

    private BenchSessions sessions;
    private final SessionId id = SessionId.of("read");
    private EntryId head;

    @Setup(Level.Trial)
    public void seed() {
        sessions = new BenchSessions();
        head = sessions.seed(id, historyLength);
    }

    @TearDown(Level.Trial)
    public void close() {
        sessions.close();
    }

    @Benchmark
    public List<Entry> lastTwenty() {
        return sessions.store().path(BenchSessions.TENANT, id, head, 20);
    }
}
