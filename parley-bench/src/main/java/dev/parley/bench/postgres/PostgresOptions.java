package dev.parley.bench.postgres;

import dev.parley.InvalidInputException;
import dev.parley.bench.OptionValues;
import dev.parley.store.postgres.PostgresSessionStore;
import dev.parley.store.postgres.PostgresUrl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one PostgreSQL throughput run does. The defaults are the published run; {@link #parse} reads the command line of
 * {@code parley-bench/run postgres}.
 *
 * @param url             the database and the schema the benchmark owns: dropped before each measurement and after the run
 * @param writers         concurrent writers, each appending one message at a time and waiting until it is committed
 * @param seconds         the timed window of each measurement
 * @param warmupSeconds   how long the writers run before each timed window (JIT, the pool, the server's caches)
 * @param runs            measurements, each on a fresh schema; the report gives each and their median
 * @param committers      transactions of grouped writes in flight at once (ignored without group commit)
 * @param groupCommit     whether concurrent writes share transactions (the store's default) or each has its own
 * @param sharedSession   all writers on one session instead of a session each
 * @param platformWriters writers on platform threads; by default virtual threads, as requests are in {@code parley serve}
 * @param pool            connections in the store's pool
 * @param gatherMicros    how long a committer may wait for its batch to fill under load (the store's gather window)
 * @param results         where the report goes
 */
record PostgresOptions(PostgresUrl url, int writers, double seconds, double warmupSeconds, int runs, int committers,
                       boolean groupCommit, boolean sharedSession, boolean platformWriters, int pool, int gatherMicros,
                       Path results) {

    static final String DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test?schema=parley_bench";

    PostgresOptions {
        require(url != null && results != null, "url and results must not be null");
        require(writers >= 1 && writers <= 4096, "--writers must be between 1 and 4096, got " + writers);
        require(seconds > 0, "--seconds must be > 0, got " + OptionValues.number(seconds));
        require(warmupSeconds >= 0, "--warmup must be >= 0 seconds, got " + OptionValues.number(warmupSeconds));
        require(runs >= 1 && runs <= 100, "--runs must be between 1 and 100, got " + runs);
        require(committers >= 1 && committers <= 64, "--committers must be between 1 and 64, got " + committers);
        require(pool >= 2 && pool <= 1000, "--pool must be between 2 and 1000, got " + pool);
        require(gatherMicros >= 0 && gatherMicros <= 100_000, "--gather-us must be between 0 and 100000, got " + gatherMicros);
        require(!groupCommit || pool > committers, "--pool " + pool + " leaves no connection for reads beside " + committers
                + " committers; make it at least " + (committers + 1));
    }

    /** The pool the store gets unless {@code --pool} says otherwise: the committers and some for reads, or one per writer. */
    static int defaultPool(boolean groupCommit, int committers, int writers) {
        return Math.min(1000, groupCommit ? committers + 8 : writers + 2);
    }

    static PostgresOptions defaults(Path results) {
        return new PostgresOptions(PostgresUrl.parse(DEFAULT_URL), 64, 20, 15, 3, 2, true, false, false, defaultPool(true, 2, 64),
                (int) (PostgresSessionStore.DEFAULT_GATHER_WINDOW.toNanos() / 1000), results);
    }

    static PostgresOptions parse(String[] args, Path results) {
        PostgresOptions d = defaults(results);
        PostgresUrl url = d.url;
        int writers = d.writers;
        double seconds = d.seconds;
        double warmup = d.warmupSeconds;
        int runs = d.runs;
        int committers = d.committers;
        boolean groupCommit = d.groupCommit;
        boolean shared = d.sharedSession;
        boolean platform = d.platformWriters;
        Integer pool = null;
        int gather = d.gatherMicros;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            switch (name) {
                case "--shared-session" -> shared = true;
                case "--platform-writers" -> platform = true;
                case "--url", "--writers", "--seconds", "--warmup", "--runs", "--committers", "--group-commit", "--pool", "--gather-us",
                     "--results" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    String value = args[++i];
                    try {
                        switch (name) {
                            case "--url" -> url = url(value);
                            case "--writers" -> writers = Integer.parseInt(value);
                            case "--seconds" -> seconds = Double.parseDouble(value);
                            case "--warmup" -> warmup = Double.parseDouble(value);
                            case "--runs" -> runs = Integer.parseInt(value);
                            case "--committers" -> committers = Integer.parseInt(value);
                            case "--group-commit" -> groupCommit = bool(name, value);
                            case "--pool" -> pool = Integer.parseInt(value);
                            case "--gather-us" -> gather = Integer.parseInt(value);
                            default -> results = Path.of(value);
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(name + " needs a number, got '" + value + "'", e);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new PostgresOptions(url, writers, seconds, warmup, runs, committers, groupCommit, shared, platform,
                pool != null ? pool : defaultPool(groupCommit, committers, writers), gather, results);
    }

    /**
     * The URL must name its schema: the benchmark drops it, so it may never fall back to the store's default schema
     * ({@value PostgresUrl#DEFAULT_SCHEMA}), where an application's sessions live.
     */
    private static PostgresUrl url(String value) {
        PostgresUrl url;
        try {
            url = PostgresUrl.parse(value);
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException("--url: " + e.getMessage(), e);
        }
        if (!value.contains("?schema=")) {
            throw new IllegalArgumentException("--url must name the schema the benchmark drops and recreates (…?schema=parley_bench), got "
                    + url.toString().substring(0, url.toString().indexOf("?schema=")));
        }
        return url;
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " needs true or false, got '" + value + "'");
        };
    }

    /** The command that repeats this run, every option spelled out (the password, if any, left out of the URL). */
    String commandLine() {
        List<String> parts = new ArrayList<>(List.of("parley-bench/run postgres", "--url", url.toString(), "--writers", String.valueOf(writers),
                "--seconds", OptionValues.number(seconds), "--warmup", OptionValues.number(warmupSeconds), "--runs", String.valueOf(runs), "--committers",
                String.valueOf(committers), "--group-commit", String.valueOf(groupCommit), "--pool", String.valueOf(pool), "--gather-us",
                String.valueOf(gatherMicros)));
        if (sharedSession) {
            parts.add("--shared-session");
        }
        if (platformWriters) {
            parts.add("--platform-writers");
        }
        return String.join(" ", parts);
    }

    static String usage() {
        return """
                usage: parley-bench/run postgres [--url postgres://user@host:port/db?schema=name] [--writers 64] [--seconds 20]
                         [--warmup 15] [--runs 3] [--committers 2] [--group-commit true] [--shared-session] [--platform-writers]
                         [--pool N] [--results DIR]
                       --url defaults to %s; its schema is dropped before and after each run
                       --pool defaults to committers + 8 with group commit, writers + 2 without""".formatted(DEFAULT_URL);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
