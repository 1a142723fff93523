package dev.parley.bench.compare;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one comparison run does. The defaults are the published workload; {@link #parse} reads the
 * command line of {@code parley-bench/run compare}.
 *
 * @param backends      which of {@code sqlite}, {@code postgres} and {@code redis} to run, in that order
 * @param lengths       history lengths L in messages, ascending
 * @param peerMaxLength the longest history the peers run (Parley runs every length)
 * @param rounds        rounds; in each, every cell (a system at a length) gets a fresh conversation of length L
 * @param maxOps        timed appends (and as many timed reads) per system and round, at most
 * @param cellSeconds   about how long each system may spend on the timed operations of one cell: a system
 *                      whose operations are slow gets fewer per round (at least one), never more than {@code maxOps}
 * @param warmupTurns   turns (append and read) each system runs before any cell, to warm the JIT and the pools
 * @param postgres      {@code postgres://user@host:port/database} of the PostgreSQL server
 * @param redis         {@code own} to start a private durable redis-server, or {@code redis://host:port}
 * @param results       where the report goes
 * @param data          where database files go (a real disk: fsync must cost what it costs)
 */
record CompareOptions(List<String> backends, List<Integer> lengths, int peerMaxLength, int rounds, int maxOps,
                      double cellSeconds, int warmupTurns, String postgres, String redis, Path results, Path data) {

    static final List<String> ALL_BACKENDS = List.of("sqlite", "postgres", "redis");

    CompareOptions {
        backends = List.copyOf(backends);
        lengths = List.copyOf(lengths);
        for (String backend : backends) {
            if (!ALL_BACKENDS.contains(backend)) {
                throw new IllegalArgumentException("unknown backend " + backend + "; known: " + ALL_BACKENDS);
            }
        }
        if (lengths.isEmpty() || lengths.stream().anyMatch(l -> l < 2 || l % 2 != 0)) {
            throw new IllegalArgumentException("lengths must be even numbers of messages >= 2 (whole turns): " + lengths);
        }
        if (rounds < 1 || maxOps < 1 || warmupTurns < 0 || !(cellSeconds > 0)) {
            throw new IllegalArgumentException("rounds and ops must be >= 1, warm-up >= 0 and cell seconds > 0");
        }
    }

    static CompareOptions defaults(Path results, Path data) {
        return new CompareOptions(ALL_BACKENDS, List.of(10, 100, 1000, 5000, 10_000), 5000, 20, 5, 5.0, 200,
                "postgres://postgres@127.0.0.1:5432/test", "own", results, data);
    }

    static CompareOptions parse(String[] args, Path results, Path data) {
        CompareOptions d = defaults(results, data);
        List<String> backends = d.backends;
        List<Integer> lengths = d.lengths;
        int peerMax = d.peerMaxLength;
        int rounds = d.rounds;
        int maxOps = d.maxOps;
        double cellSeconds = d.cellSeconds;
        int warmup = d.warmupTurns;
        String postgres = d.postgres;
        String redis = d.redis;
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[i + 1];
            switch (name) {
                case "--backends" -> backends = List.of(value.toLowerCase(Locale.ROOT).split(","));
                case "--lengths" -> lengths = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).sorted().toList();
                case "--peer-max" -> peerMax = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--max-ops" -> maxOps = Integer.parseInt(value);
                case "--cell-seconds" -> cellSeconds = Double.parseDouble(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--postgres" -> postgres = value;
                case "--redis" -> redis = value;
                case "--results" -> results = Path.of(value);
                case "--data" -> data = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new CompareOptions(backends, lengths, peerMax, rounds, maxOps, cellSeconds, warmup, postgres, redis, results, data);
    }

    static String usage() {
        return """
                usage: parley-bench/run compare [--backends sqlite,postgres,redis] [--lengths 10,100,1000,5000,10000]
                         [--peer-max 5000] [--rounds 20] [--max-ops 5] [--cell-seconds 5] [--warmup 200]
                         [--postgres postgres://postgres@127.0.0.1:5432/test] [--redis own|redis://host:port]
                         [--results DIR] [--data DIR]""";
    }
}
