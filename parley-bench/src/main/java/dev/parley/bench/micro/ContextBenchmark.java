package dev.parley.bench.micro;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.context.Context;
import dev.parley.context.ContextPolicy;
import dev.parley.store.sqlite.SqliteSessionStore;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Building the context a model is sent with {@code ContextPolicy.tokenBudget(4000, 0)} for
 * {@code gpt-4o} (exact o200k counts), from a SQLite session of {@code history} messages: the builder
 * reads back from the head only as far as 4000 tokens reach (about 40 of these messages), so the cost
 * must not depend on the history. Token counts are cached per entry, as in a running server: this is
 * the steady state of a conversation's next turn; the first count of a message is
 * {@link TokenBenchmark}'s cost.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main ContextBenchmark},
 * or with the others through {@code parley-bench/run micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ContextBenchmark {
    static final String DIR_PROPERTY = "parley.bench.dir";

    @Param({"100", "100000"})
    public int history;

    private Path dir;
    Parley parley;
    Session session;
    private final ContextPolicy policy = ContextPolicy.tokenBudget(4000, 0);

    @Setup(Level.Trial)
    public void seed() throws IOException {
        Path root = Path.of(System.getProperty(DIR_PROPERTY, "target/bench-data")).toAbsolutePath();
        Files.createDirectories(root);
        dir = Files.createTempDirectory(root, "context-");
        parley = Parley.builder().store(new SqliteSessionStore(dir.resolve("parley.db"))).build();
        session = Fixtures.seed(parley, "context", history);
    }

    @TearDown(Level.Trial)
    public void close() {
        parley.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    @Benchmark
    public Context tokenBudget() {
        return session.context(policy, "gpt-4o");
    }
}
