package dev.parley.bench.compare;

import dev.parley.bench.BenchPaths;
import dev.parley.bench.Machine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The side-by-side comparison of Parley with Spring AI and LangChain4j on SQLite, PostgreSQL and Redis,
 * in one run, writing {@code results/compare-<date>.md}.
 *
 * <pre>
 * parley-bench/run compare                       # the published workload: about 5 minutes on 2 cores
 * parley-bench/run compare --backends sqlite     # one backend; options: CompareOptions.usage()
 * </pre>
 *
 * A backend whose server cannot be reached is skipped and the report says so.
 */
public final class CompareRun {
    private CompareRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path results = BenchPaths.results();
        CompareOptions options;
        try {
            options = CompareOptions.parse(args, results, results.resolveSibling("target").resolve("bench-data"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(CompareOptions.usage());
            System.exit(2);
            return;
        }
        Path file = run(options, System.out);
        System.out.println();
        System.out.println(Files.readString(file));
        System.out.println("Written to " + file);
    }

    /** Runs the comparison and writes the report; returns the report's path. */
    static Path run(CompareOptions options, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(options.results());
        Files.createDirectories(options.data());
        String runId = Long.toString(System.currentTimeMillis(), 36);
        Path runDir = options.data().resolve("compare-" + runId);
        Files.createDirectories(runDir);

        try {
            String markdown = measure(options, log, runDir, runId);
            Path file = options.results().resolve("compare-" + LocalDate.now() + ".md");
            Files.writeString(file, markdown);
            return file;
        } finally {
            removeAll(runDir);
        }
    }

    private static String measure(CompareOptions options, PrintStream log, Path runDir, String runId)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        double loadBefore = Machine.loadAverage();
        double fsyncBefore = Machine.fsyncMicros(runDir);
        List<Comparison.Result> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : options.backends()) {
            Backend backend;
            try {
                backend = open(name, options, runDir, runId);
            } catch (SQLException | IOException e) {
                String reason = name + ": cannot be reached (" + e.getMessage() + ")";
                log.println("skipping " + reason);
                skipped.add(reason);
                continue;
            }
            try (backend) {
                results.add(new Comparison(options, log).measure(backend));
            }
        }
        String conditions = String.format(Locale.ROOT, "1-minute load average %.1f at the start, %.1f at the end "
                        + "(other engineers' builds share this machine); median fsync of 4 KiB %.0f µs at the start, %.0f µs at the end; "
                        + "the run took %.0f s", loadBefore, Machine.loadAverage(), fsyncBefore, Machine.fsyncMicros(runDir),
                (System.nanoTime() - start) / 1e9);
        return new CompareReport(options, Machine.describe(runDir), conditions, results, skipped).markdown();
    }

    /** Whatever a failed backend left behind in the run's directory goes too. */
    private static void removeAll(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Backend open(String name, CompareOptions options, Path runDir, String runId)
            throws SQLException, IOException, InterruptedException {
        return switch (name) {
            case "sqlite" -> new SqliteBackend(runDir.resolve("sqlite"));
            case "postgres" -> new PostgresBackend(options.postgres(), runId);
            case "redis" -> RedisBackend.open(redisLocation(options.redis()), runDir.resolve("redis"), runId);
            default -> throw new IllegalArgumentException("unknown backend " + name);
        };
    }

    /** {@code own} needs a redis-server binary; without one the shared server is used, and the report says it is not durable. */
    private static String redisLocation(String requested) {
        if (requested.equals("own") && RedisServer.binary().isEmpty()) {
            return "redis://127.0.0.1:6379";
        }
        return requested;
    }
}
