package dev.parley.bench.postgres;

import dev.parley.bench.OptionValues;
import dev.parley.bench.postgres.Measurement.Outcome;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The markdown report of a PostgreSQL throughput run: machine, server, conditions, every measurement, their median, the target. */
final class PostgresReport {
    /** Durable appends per second that 64 writers must get through the store on this machine (issue #10). */
    static final double APPENDS_TARGET = 20_000;
    /** The writers the target is stated for; a run with another count is reported but not judged. */
    static final int TARGET_WRITERS = 64;

    /**
     * Everything the report shows.
     *
     * @param server     the server's {@code version()}
     * @param settings   {@link Server#SETTINGS} as the server has them
     * @param conditions load average and duration, one line
     */
    record Run(PostgresOptions options, String machine, String conditions, String server, Map<String, String> settings,
               List<Outcome> outcomes) {
        Run {
            settings = Map.copyOf(settings);
            outcomes = List.copyOf(outcomes);
        }
    }

    private final Run run;

    PostgresReport(Run run) {
        this.run = run;
    }

    String markdown() {
        PostgresOptions o = run.options();
        StringBuilder md = new StringBuilder();
        md.append("# PostgreSQL store: durable appends from ").append(o.writers()).append(" writers, ").append(LocalDate.now()).append("\n\n");
        md.append("- Command: `").append(o.commandLine()).append("` (see parley-bench/README.md)\n");
        md.append("- Machine: ").append(run.machine()).append('\n');
        md.append("- Conditions: ").append(run.conditions()).append('\n');
        md.append("- Server: ").append(run.server()).append(", at `").append(o.url()).append("`;");
        for (String name : Server.SETTINGS) {
            md.append(" `").append(name).append('=').append(run.settings().get(name)).append('`');
        }
        md.append(". A write returns once its transaction has committed as `synchronous_commit` says (`on`: its WAL flushed).\n");
        md.append("- Store: `PostgresSessionStore`, ").append(o.groupCommit() ? "group commit with " + o.committers()
                + " committers and a gather window of " + o.gatherMicros() + " µs"
                : "no group commit (a transaction per write)").append(", a pool of ").append(o.pool()).append(" connections; schema `")
                .append(o.url().schema()).append("` dropped before each run, created by the store, dropped after it.\n");
        md.append("- Writers: ").append(o.writers()).append(o.platformWriters() ? " platform threads" : " virtual threads")
                .append(" in the benchmark's JVM, ").append(o.sharedSession() ? "all on one shared session" : "each on a session of its own")
                .append(", each appending one 225-character user message to main at a time and waiting for it (`SessionStore.write`); ")
                .append(OptionValues.number(o.warmupSeconds())).append(" s warm-up, then ").append(OptionValues.number(o.seconds()))
                .append(" s timed, per run; ").append(o.runs() == 1 ? "1 run, on a fresh schema with a new store.\n"
                        : o.runs() + " runs, each on a fresh schema with a new store.\n");
        md.append("- Latency: from calling `write` to its return, percentiles by nearest rank over every append of the timed window.\n\n");

        md.append("## Runs\n\n");
        md.append("| run | appends | appends/s | mean ms | p50 ms | p99 ms | errors | client CPU µs/append | backend CPU µs/append "
                + "| server background CPU µs/append | what it allows on ").append(cores()).append(" idle cores |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Outcome r : run.outcomes()) {
            md.append("| ").append(r.number()).append(" | ").append(String.format(Locale.ROOT, "%,d", r.appends())).append(" | ")
                    .append(rate(r.perSecond())).append(" | ").append(ms(r.meanMillis())).append(" | ")
                    .append(ms(r.latencies().percentileMillis(0.50))).append(" | ").append(ms(r.latencies().percentileMillis(0.99)))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", r.errors())).append(" | ").append(micros(r.clientMicros())).append(" | ")
                    .append(micros(r.backendMicros())).append(" | ").append(micros(r.backgroundMicros())).append(" | ")
                    .append(rate(allowed(r.clientMicros(), r.backendMicros()))).append(" |\n");
        }
        if (run.outcomes().size() > 1) {
            md.append("| **median** | | **").append(rate(median(Outcome::perSecond))).append("** | ").append(ms(median(Outcome::meanMillis)))
                    .append(" | ").append(ms(median(r -> r.latencies().percentileMillis(0.50)))).append(" | ")
                    .append(ms(median(r -> r.latencies().percentileMillis(0.99)))).append(" | | ")
                    .append(micros(median(Outcome::clientMicros))).append(" | ").append(micros(median(Outcome::backendMicros)))
                    .append(" | ").append(micros(median(Outcome::backgroundMicros))).append(" | ")
                    .append(rate(median(r -> allowed(r.clientMicros(), r.backendMicros())))).append(" |\n");
            md.append("\nThe median row takes each column's median on its own.\n");
        }
        md.append('\n');
        run.outcomes().stream().filter(r -> r.errors() > 0).forEach(r -> md.append("- Run ").append(r.number()).append(": ")
                .append(r.errors()).append(" failed writes; the first: `").append(r.firstError().replace('`', '\'')).append("`\n"));

        // Why CPU per append: appends/s moves with whatever else the machine runs (2 shared cores, steal time), while the CPU
        // an append costs does not; it is the figure to compare between runs, builds and machines, and it bounds the rate.
        md.append("CPU per append is each side's CPU time (user and system, all threads) over the timed window divided by its appends: "
                + "the benchmark's JVM (the store and its writers), the server processes serving the store's pool (read from `/proc`, "
                + "so only for a server on this machine; ").append(backendsSeen())
                .append("), and the server's own processes (WAL writer, checkpointer, background writer, autovacuum), which work for "
                        + "every client of the server and so are the store's only while nothing else uses it. Unlike appends/s, CPU per "
                        + "append does not depend on what else the machine is running: it is the figure to compare. What it allows on ")
                .append(cores()).append(" idle cores is ").append(cores()).append(" cores ÷ (client + backend CPU per append): the rate "
                        + "this machine could reach if CPU were the only limit and the benchmark and the server had it to themselves.\n\n");

        md.append("## Target\n\n");
        double median = median(Outcome::perSecond);
        if (o.writers() != TARGET_WRITERS) {
            md.append(String.format(Locale.ROOT, "- At least %,.0f durable appends/s with %d writers through the store: **not judged** "
                    + "(this run had %d writers; median %s/s).%n", APPENDS_TARGET, TARGET_WRITERS, o.writers(), rate(median)));
        } else {
            md.append(String.format(Locale.ROOT, "- At least %,.0f durable appends/s with %d writers through the store: **%s** "
                            + "(median of %d %s: %s/s).%n", APPENDS_TARGET, TARGET_WRITERS, median >= APPENDS_TARGET ? "met" : "missed",
                    run.outcomes().size(), run.outcomes().size() == 1 ? "run" : "runs", rate(median)));
        }
        md.append("- No failed writes: **").append(run.outcomes().stream().allMatch(r -> r.errors() == 0) ? "met" : "missed").append("**.\n");
        return md.toString();
    }

    private String backendsSeen() {
        int[] counts = run.outcomes().stream().mapToInt(Outcome::backends).distinct().sorted().toArray();
        if (counts.length == 1 && counts[0] == 0) {
            return "here they were not visible, so the server's figures are n/a";
        }
        return Arrays.stream(counts).mapToObj(Integer::toString).reduce((a, b) -> a + " or " + b).orElseThrow() + " of them in these runs";
    }

    private double median(ToDoubleFunction<Outcome> figure) {
        double[] values = run.outcomes().stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double allowed(double clientMicros, double backendMicros) {
        return cores() * 1e6 / (clientMicros + backendMicros);
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) || Double.isInfinite(perSecond) ? "n/a" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String micros(double micros) {
        return Double.isNaN(micros) ? "n/a" : String.format(Locale.ROOT, "%.0f", micros);
    }

    private static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        return millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis) : String.format(Locale.ROOT, "%.2f", millis);
    }
}
