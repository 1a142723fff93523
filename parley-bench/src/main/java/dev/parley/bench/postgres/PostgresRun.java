package dev.parley.bench.postgres;

import dev.parley.bench.BenchPaths;
import dev.parley.bench.Machine;
import dev.parley.bench.OptionValues;
import dev.parley.bench.postgres.Measurement.Outcome;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Durable appends per second through {@code PostgresSessionStore} from concurrent writers in one process, writing
 * {@code results/postgres-<date>.md}: the measurement behind issue #10's target of 20 000 appends/s from 64 writers.
 *
 * <pre>
 * parley-bench/run postgres                          # the published run: 3 × (15 s warm-up + 20 s), about 2 minutes
 * parley-bench/run postgres --group-commit false     # options: PostgresOptions.usage()
 * </pre>
 *
 * The machine is small and shared, so the run is repeated on fresh schemas and the report gives each run and the median.
 * Besides appends per second it reports the CPU time spent per append, in this process and in the PostgreSQL processes
 * serving it (read from {@code /proc}, so only for a server on the same machine): unlike the rate, that figure does not
 * depend on what else the machine is running.
 */
public final class PostgresRun {
    private PostgresRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path results = BenchPaths.results();
        PostgresOptions options;
        try {
            options = PostgresOptions.parse(args, results.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(PostgresOptions.usage());
            System.exit(2);
            return;
        }
        Path file;
        try {
            file = run(options, System.out);
        } catch (Server.Unavailable e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (SQLException e) {
            System.err.println("PostgreSQL at " + options.url() + " failed during the run: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.println(Files.readString(file));
        System.out.println("Written to " + file);
    }

    /** Runs every measurement and writes the report; returns the report's path. */
    static Path run(PostgresOptions o, PrintStream log) throws Server.Unavailable, IOException, InterruptedException, SQLException {
        long started = System.nanoTime();
        double loadBefore = Machine.loadAverage();
        Machine.CpuTicks ticksBefore = Machine.cpuTicks();
        try (Server server = Server.connect(o.url())) {
            String version = server.version();
            log.println(version + " at " + o.url() + ", " + server.settings());
            List<Outcome> outcomes = new ArrayList<>();
            for (int n = 1; n <= o.runs(); n++) {
                log.printf(Locale.ROOT, "run %d of %d: %d writers, %s s warm-up, %s s timed ...%n", n, o.runs(), o.writers(),
                        OptionValues.number(o.warmupSeconds()), OptionValues.number(o.seconds()));
                Outcome r = Measurement.run(o, n, server);
                log.printf(Locale.ROOT, "  %,.0f appends/s, mean %.2f ms, p99 %.2f ms, %d errors; CPU per append %.0f µs client, "
                                + "%.0f µs in %d backends%n", r.perSecond(), r.meanMillis(), r.latencies().percentileMillis(0.99), r.errors(),
                        r.clientMicros(), r.backendMicros(), r.backends());
                outcomes.add(r);
            }
            String conditions = String.format(Locale.ROOT, "1-minute load average %.1f at the start, %.1f at the end (the run's own "
                    + "writers and server processes count; other engineers' builds may share this machine); over the run %s; "
                    + "the run took %.0f s", loadBefore, Machine.loadAverage(),
                    ticksBefore == null ? "CPU use unknown" : ticksBefore.until(Machine.cpuTicks()), (System.nanoTime() - started) / 1e9);
            String markdown = new PostgresReport(new PostgresReport.Run(o, machine(server), conditions, version, server.settings(),
                    outcomes)).markdown();
            Files.createDirectories(o.results());
            Path file = o.results().resolve("postgres-" + LocalDate.now() + ".md");
            Files.writeString(file, markdown);
            return file;
        }
    }

    /** The machine, and the file system of the server's data directory when it is on this machine (a RAM disk would show). */
    private static String machine(Server server) {
        Optional<Path> data = server.dataDirectory().map(Path::of).filter(Files::isDirectory);
        if (data.isEmpty()) {
            return Machine.describe() + ", PostgreSQL's data directory not on this machine or not visible";
        }
        try {
            return Machine.describe() + ", PostgreSQL's data directory on " + Files.getFileStore(data.get()).type() + " (" + data.get() + ")";
        } catch (IOException e) {
            return Machine.describe() + ", PostgreSQL's data directory at " + data.get() + " (file system unknown: " + e.getMessage() + ")";
        }
    }
}
