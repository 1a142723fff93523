package dev.parley.bench.micro;

import dev.parley.bench.BenchPaths;
import dev.parley.bench.JmhSchedule;
import dev.parley.bench.Machine;
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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs the micro-benchmarks of the hot paths (append, window read, context building with a token
 * budget, token counting, the sanitiser, the JSON codec) and writes {@code results/micro-<date>.md}.
 *
 * <pre>
 * parley-bench/run micro           # short: about 2 minutes on 2 cores
 * parley-bench/run micro --full    # longer warm-up and measurement: about 5 minutes
 * </pre>
 */
public final class MicroRun {
    static final List<Class<?>> BENCHMARKS = List.of(SessionBenchmark.class, ContextBenchmark.class, TokenBenchmark.class,
            SanitizerBenchmark.class, JsonBenchmark.class);

    /** Warm-up and measurement per benchmark and parameter, one fork each. */
    static final JmhSchedule SHORT = new JmhSchedule("short", 3, 1, 5, 1);
    static final JmhSchedule FULL = new JmhSchedule("full", 3, 2, 5, 3);

    private MicroRun() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
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

        long start = System.nanoTime();
        double loadBefore = Machine.loadAverage();
        Collection<RunResult> runs = new Runner(options(mode, data)).run();
        String conditions = String.format(Locale.ROOT, "1-minute load average %.1f at the start, %.1f at the end "
                        + "(other engineers' builds share this machine); the run took %.0f s", loadBefore, Machine.loadAverage(),
                (System.nanoTime() - start) / 1e9);

        MicroReport report = new MicroReport(mode.describe(), Machine.describe(data), conditions, runs);
        Path file = results.resolve("micro-" + LocalDate.now() + ".md");
        Files.writeString(file, report.markdown());
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Written to " + file);
    }

    static Options options(JmhSchedule mode, Path data) {
        return new OptionsBuilder()
                .include(BENCHMARKS.stream().map(c -> "^" + c.getName().replace(".", "\\.") + "\\.").collect(Collectors.joining("|")))
                .forks(1)
                .warmupIterations(mode.warmups())
                .warmupTime(TimeValue.seconds(mode.warmupSeconds()))
                .measurementIterations(mode.iterations())
                .measurementTime(TimeValue.seconds(mode.iterationSeconds()))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-D" + ContextBenchmark.DIR_PROPERTY + "=" + data)
                .shouldFailOnError(true)
                .build();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar benchmarks.jar micro [--short | --full] [--results DIR]");
        System.exit(2);
    }
}
