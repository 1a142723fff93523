package dev.parley.bench;

import dev.parley.bench.compare.CompareRun;
import dev.parley.bench.load.LoadRun;
import dev.parley.bench.postgres.PostgresRun;
import dev.parley.bench.privacy.PrivacyCorpusRun;
import dev.parley.bench.privacy.PrivacyRun;
import dev.parley.bench.micro.MicroRun;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs the SQLite benchmarks and writes {@code results/sqlite-<date>.md}; with a suite's name first, runs that suite
 * instead: {@code compare} (the peers, {@link CompareRun}), {@code micro} ({@link MicroRun}), {@code load} (the server
 * under load, {@link LoadRun}), {@code postgres} (durable appends from 64 writers through the PostgreSQL store,
 * {@link PostgresRun}), {@code privacy} (the detectors' accuracy and speed, {@link PrivacyRun}) or
 * {@code privacy-corpus} (remakes the labelled corpus, {@link PrivacyCorpusRun}).
 *
 * <pre>
 * parley-bench/run            # builds benchmarks.jar, then the short SQLite suite (about 2 minutes)
 * parley-bench/run --full     # longer warm-up and measurement (about 6 minutes)
 * parley-bench/run compare    # Parley against Spring AI and LangChain4j
 * parley-bench/run micro      # JMH micro-benchmarks of the hot paths
 * parley-bench/run load       # parley serve under 64 clients, and the gateway's added latency
 * parley-bench/run postgres   # durable appends/s from 64 writers through the PostgreSQL store
 * parley-bench/run privacy    # precision, recall and MB/s of the privacy detectors on the labelled corpus
 * java -jar parley-bench/target/benchmarks.jar [sqlite | compare | micro | load | postgres | privacy | privacy-corpus] [options]
 * </pre>
 *
 * The databases live under {@code <results>/../target/bench-data}, on the same disk as the
 * project: on a RAM disk an fsync costs nothing and the durable numbers would mean nothing.
 */
public final class RunBenchmarks {

    /** How long to run: the short mode fits a CI-sized machine in a couple of minutes. */
    static final JmhSchedule SHORT = new JmhSchedule("short", 3, 2, 3, 2);
    static final JmhSchedule FULL = new JmhSchedule("full", 3, 5, 5, 5);

    private RunBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("compare")) {
            CompareRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("micro")) {
            MicroRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("load")) {
            LoadRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("postgres")) {
            PostgresRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("privacy")) {
            PrivacyRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("privacy-corpus")) {
            PrivacyCorpusRun.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("sqlite")) {
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        JmhSchedule mode = SHORT;
        Path results = BenchPaths.results();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> mode = FULL;
                case "--short" -> mode = SHORT;
                case "--results" -> {
                    if (i + 1 == args.length) {
                        usage("--results needs a directory");
                    }
                    results = Path.of(args[++i]);
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        results = results.toAbsolutePath().normalize();
        Path data = results.resolveSibling("target").resolve("bench-data");
        Files.createDirectories(results);
        Files.createDirectories(data);

        double loadBefore = Machine.loadAverage();
        double fsyncBefore = Machine.fsyncMicros(data);
        Collection<RunResult> runs = new Runner(options(mode, data)).run();
        String conditions = String.format(Locale.ROOT, "1-minute load average %.1f at the start, %.1f at the end; "
                        + "median fsync of 4 KiB %.0f µs at the start, %.0f µs at the end",
                loadBefore, Machine.loadAverage(), fsyncBefore, Machine.fsyncMicros(data));

        Report report = new Report(mode.describe(), Machine.describe(data), conditions, runs);
        Path file = results.resolve("sqlite-" + LocalDate.now() + ".md");
        Files.writeString(file, report.markdown());
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Written to " + file);
    }

    static Options options(JmhSchedule mode, Path data) {
        return new OptionsBuilder()
                .include(List.of(SqliteAppendBenchmark.class, SqliteReadBenchmark.class, SqliteThroughputBenchmark.class)
                        .stream().map(c -> "^" + c.getName().replace(".", "\\.") + "\\.").reduce((a, b) -> a + "|" + b).orElseThrow())
                .forks(1)
                .warmupIterations(mode.warmups())
                .warmupTime(TimeValue.seconds(mode.warmupSeconds()))
                .measurementIterations(mode.iterations())
                .measurementTime(TimeValue.seconds(mode.iterationSeconds()))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-D" + BenchSessions.DIR_PROPERTY + "=" + data)
                .shouldFailOnError(true)
                .build();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar benchmarks.jar [sqlite] [--short | --full] [--results DIR]\n"
                + "       java -jar benchmarks.jar compare [options]   (see CompareRun)\n"
                + "       java -jar benchmarks.jar micro [--short | --full] [--results DIR]\n"
                + "       java -jar benchmarks.jar load [options]      (see LoadRun)\n"
                + "       java -jar benchmarks.jar postgres [options]  (see PostgresRun)\n"
                + "       java -jar benchmarks.jar privacy [options]   (see PrivacyRun)\n"
                + "       java -jar benchmarks.jar privacy-corpus [--seed N] [--samples N] [--out FILE]");
        System.exit(2);
    }
}
