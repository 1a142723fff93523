package dev.parley.bench.micro;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * The engine's share of the two hot paths, without I/O: {@code Session.add(List.of(user, reply))} and
 * {@code Session.last(20)} on the in-memory store, with {@code history} messages already on main. What
 * a durable store adds (a commit, a query) is measured by the SQLite benchmarks and the comparison.
 * Every iteration starts from a freshly seeded session, so appends never pile up.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main SessionBenchmark},
 * or with the others through {@code parley-bench/run micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SessionBenchmark {

    /** At least 20, so that the read returns 20 messages at every length and only the length differs. */
    @Param({"100", "100000"})
    public int history;

    Parley parley;
    Session session;
    private final List<Message> turn = Fixtures.turn();

    @Setup(Level.Iteration)
    public void seed() {
        parley = Parley.inMemory();
        session = Fixtures.seed(parley, "micro", history);
    }

    @TearDown(Level.Iteration)
    public void close() {
        parley.close();
    }

    @Benchmark
    public List<Entry> appendTurn() {
        return session.add(turn);
    }

    @Benchmark
    public List<Message> lastTwenty() {
        return session.last(20);
    }
}
