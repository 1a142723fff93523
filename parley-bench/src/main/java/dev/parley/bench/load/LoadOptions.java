package dev.parley.bench.load;

import dev.parley.bench.OptionValues;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one load run does. The defaults are the published run; {@link #parse} reads the command line of
 * {@code parley-bench/run load}.
 *
 * @param clients          concurrent clients (virtual threads), each sending its next request as soon as its last returns
 * @param warmupSeconds    how long the clients run before the timed window of each variant (JIT, pools, page cache)
 * @param seconds          the timed window of each append variant
 * @param messageChars     characters of the message each append carries
 * @param gatewayCalls     timed calls of each kind (direct to the fake upstream, through the gateway); 0 skips the part
 * @param gatewayWarmup    untimed calls of each kind before those (half as many for the second kind of client)
 * @param turnsPerSession  gateway calls per session before the next one starts: the session grows by a turn per call
 * @param profileSeconds   a further window of the own-session variant recorded by JFR in the server; 0 skips it
 * @param serverClasspath  the class path of the server's JVM; empty: this JVM's own (the build being benchmarked)
 * @param note             a line the report shows about what was measured (which build of the server, say); may be empty
 * @param results          where the report goes
 * @param data             where the server's database goes (a real disk: an fsync must cost what it costs)
 * @param appends          whether the append variants (and their recorded window) run; false measures the gateway alone
 * @param reference        whether the own-session appends are also run against the {@link ReferenceServer}, after the
 *                         server has stopped: the floor of the same HTTP stack and SQLite settings on the same machine
 */
record LoadOptions(int clients, double warmupSeconds, double seconds, int messageChars, int gatewayCalls, int gatewayWarmup,
                   int turnsPerSession, double profileSeconds, Optional<String> serverClasspath, String note, Path results,
                   Path data, boolean appends, boolean reference) {

    LoadOptions {
        require(clients >= 1 && clients <= 4096, "--clients must be between 1 and 4096, got " + clients);
        require(warmupSeconds >= 0, "--warmup must be >= 0 seconds, got " + warmupSeconds);
        require(seconds > 0, "--seconds must be > 0, got " + seconds);
        require(messageChars >= 1 && messageChars <= 100_000, "--message-chars must be between 1 and 100000, got " + messageChars);
        require(gatewayCalls >= 0 && gatewayWarmup >= 0, "--gateway-calls and --gateway-warmup must be >= 0");
        require(turnsPerSession >= 1, "--turns-per-session must be >= 1, got " + turnsPerSession);
        require(profileSeconds >= 0, "--profile must be >= 0 seconds, got " + profileSeconds);
        require(serverClasspath != null && note != null, "serverClasspath and note must not be null (empty means none)");
        require(appends || gatewayCalls > 0, "--appends false needs --gateway-calls > 0: nothing would be measured");
    }

    /** A run with the append variants. */
    LoadOptions(int clients, double warmupSeconds, double seconds, int messageChars, int gatewayCalls, int gatewayWarmup,
                int turnsPerSession, double profileSeconds, Optional<String> serverClasspath, String note, Path results, Path data) {
        this(clients, warmupSeconds, seconds, messageChars, gatewayCalls, gatewayWarmup, turnsPerSession, profileSeconds,
                serverClasspath, note, results, data, true, true);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    static LoadOptions defaults(Path results, Path data) {
        // The server's JIT compiler is busy for about 35 s of load on this 2-core machine (17 s of its CPU): a shorter
        // warm-up leaves it compiling through the first timed window, which then measures a half-compiled server.
        return new LoadOptions(64, 40, 30, 400, 4000, 20_000, 10, 15, Optional.empty(), "", results, data);
    }

    static LoadOptions parse(String[] args, Path results, Path data) {
        LoadOptions d = defaults(results, data);
        int clients = d.clients;
        double warmup = d.warmupSeconds;
        double seconds = d.seconds;
        int chars = d.messageChars;
        int calls = d.gatewayCalls;
        int gatewayWarmup = d.gatewayWarmup;
        int turns = d.turnsPerSession;
        double profile = d.profileSeconds;
        Optional<String> classpath = d.serverClasspath;
        String note = d.note;
        boolean appends = d.appends;
        boolean reference = d.reference;
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[i + 1];
            try {
                switch (name) {
                    case "--clients" -> clients = Integer.parseInt(value);
                    case "--warmup" -> warmup = Double.parseDouble(value);
                    case "--seconds" -> seconds = Double.parseDouble(value);
                    case "--message-chars" -> chars = Integer.parseInt(value);
                    case "--gateway-calls" -> calls = Integer.parseInt(value);
                    case "--gateway-warmup" -> gatewayWarmup = Integer.parseInt(value);
                    case "--turns-per-session" -> turns = Integer.parseInt(value);
                    case "--profile" -> profile = Double.parseDouble(value);
                    case "--server-classpath" -> classpath = Optional.of(value);
                    case "--note" -> note = value;
                    case "--results" -> results = Path.of(value);
                    case "--data" -> data = Path.of(value);
                    case "--appends" -> appends = bool(name, value);
                    case "--reference" -> reference = bool(name, value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a number, got '" + value + "'", e);
            }
        }
        return new LoadOptions(clients, warmup, seconds, chars, calls, gatewayWarmup, turns, profile, classpath, note, results, data,
                appends, reference);
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " needs true or false, got '" + value + "'");
        };
    }

    /**
     * The command that repeats this run's measurements, every such option spelled out; where the report and
     * the database go, and the note, are left out (they do not change what is measured).
     */
    String commandLine() {
        StringBuilder line = new StringBuilder("parley-bench/run load --clients ").append(clients)
                .append(" --warmup ").append(OptionValues.number(warmupSeconds)).append(" --seconds ").append(OptionValues.number(seconds))
                .append(" --message-chars ").append(messageChars).append(" --gateway-calls ").append(gatewayCalls)
                .append(" --gateway-warmup ").append(gatewayWarmup).append(" --turns-per-session ").append(turnsPerSession)
                .append(" --profile ").append(OptionValues.number(profileSeconds)).append(" --appends ").append(appends)
                .append(" --reference ").append(reference);
        serverClasspath.ifPresent(cp -> line.append(" --server-classpath ").append(cp));
        return line.toString();
    }

    static String usage() {
        return """
                usage: parley-bench/run load [--clients 64] [--warmup 40] [--seconds 30] [--message-chars 400]
                         [--gateway-calls 4000] [--gateway-warmup 20000] [--turns-per-session 10] [--profile 15]
                         [--server-classpath CP] [--note TEXT] [--results DIR] [--data DIR] [--appends true]
                         [--reference true]
                       --appends false: the gateway part alone (and its recorded window), without the append variants
                       --reference false: without the own-session appends against the bare reference server""";
    }
}
