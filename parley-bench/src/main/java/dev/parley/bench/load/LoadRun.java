package dev.parley.bench.load;

import dev.parley.bench.BenchPaths;
import dev.parley.bench.Machine;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The load benchmark of the server: a Java load generator (virtual-thread clients; Apache HttpCore 5 for the appends,
 * {@code java.net.http} for the gateway calls) against
 * {@code parley serve} on the embedded SQLite store in a JVM of its own, writing {@code results/load-<date>.md}.
 *
 * <pre>
 * parley-bench/run load                      # the published run: about 6 minutes after the build
 * parley-bench/run load --clients 16 --seconds 10   # options: LoadOptions.usage()
 * </pre>
 *
 * In order: appends by every client to a session of its own, then by all clients to one shared session; the gateway's
 * added latency over calling the upstream directly, for a client sending only the newest message and for one sending the
 * whole conversation; a window recorded by JDK Flight Recorder in the server, reduced
 * to where the server's time goes, and another during gateway calls; then, the server stopped, the own-session appends
 * and the newest-message gateway calls against the {@link ReferenceServer}, the floor of the same stack on the same
 * machine. The recordings are kept as
 * {@code target/bench-data/load-last.jfr} and {@code load-last-gateway.jfr} for JDK Mission Control.
 */
public final class LoadRun {
    private LoadRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path results = BenchPaths.results();
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, results, results.resolveSibling("target").resolve("bench-data"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.usage());
            System.exit(2);
            return;
        }
        Path file = run(options, System.out);
        System.out.println();
        System.out.println(Files.readString(file));
        System.out.println("Written to " + file);
    }

    /** Runs the benchmark and writes the report; returns the report's path. */
    static Path run(LoadOptions options, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(options.results());
        Files.createDirectories(options.data());
        Path runDir = options.data().resolve("load-" + Long.toString(System.currentTimeMillis(), 36));
        Files.createDirectories(runDir);
        try {
            String markdown = measure(options, log, runDir);
            Path file = options.results().resolve("load-" + LocalDate.now() + ".md");
            Files.writeString(file, markdown);
            return file;
        } finally {
            removeAll(runDir);
        }
    }

    private static String measure(LoadOptions o, PrintStream log, Path runDir) throws IOException, InterruptedException {
        long started = System.nanoTime();
        double loadBefore = Machine.loadAverage();
        double fsyncBefore = Machine.fsyncMicros(runDir);
        String apiKey = newApiKey();
        String classpath = o.serverClasspath().orElse(System.getProperty("java.class.path"));
        boolean profiling = o.profileSeconds() > 0 && Profile.available();
        // JFR's default of 64 frames cuts a Jetty + Javalin + Parley stack short of the route that does the work.
        List<String> jvmOptions = profiling ? List.of("-XX:FlightRecorderOptions=stackdepth=256") : List.of();
        try (FixedUpstream upstream = FixedUpstream.start(); HttpClient control = ApiCalls.newClient();
             ServerProcess server = ServerProcess.start(classpath, jvmOptions, runDir.resolve("server"), apiKey, upstream.baseUrl(),
                     control)) {
            log.println("server " + server.url() + " (pid " + server.pid() + ")");
            ApiCalls api = new ApiCalls(server.url(), apiKey);
            AppendLoad load = new AppendLoad(api, server, o.messageChars());
            List<AppendLoad.Outcome> appends = new ArrayList<>();
            if (o.appends()) {
                log.println("appends, " + o.clients() + " clients on their own sessions ...");
                appends.add(log(log, load.run("own session each", o.clients(), false, o.warmupSeconds(), o.seconds())));
                log.println("appends, " + o.clients() + " clients on one shared session ...");
                appends.add(log(log, load.run("one shared session", o.clients(), true, o.warmupSeconds(), o.seconds())));
            }

            List<GatewayLatency.Outcome> gateway = new ArrayList<>();
            String gatewayNote = "--gateway-calls 0";
            if (o.gatewayCalls() > 0) {
                try {
                    for (GatewayLatency.Client client : GatewayLatency.Client.values()) {
                        // The second client's calls run on a server the first one's warmed up: a shorter warm-up for
                        // the code only it runs (lining a whole history up with the stored path).
                        int warmup = client == GatewayLatency.Client.NEWEST_TURN ? o.gatewayWarmup() : o.gatewayWarmup() / 2;
                        log.println("gateway, " + o.gatewayCalls() + " calls of each kind, carrying " + client.carries + " ...");
                        GatewayLatency.Outcome outcome = new GatewayLatency(api, server, upstream).run(warmup, o.gatewayCalls(),
                                o.turnsPerSession(), client);
                        gateway.add(outcome);
                        log.printf(Locale.ROOT, "  direct p50 %s ms, gateway p50 %s ms%n",
                                LoadReport.ms(outcome.direct().percentileMillis(0.5)), LoadReport.ms(outcome.gateway().percentileMillis(0.5)));
                    }
                } catch (GatewayLatency.Unavailable e) {
                    gateway.clear();
                    gatewayNote = e.getMessage();
                    log.println("  skipped: " + gatewayNote);
                }
            }

            Profile profile = null;
            AppendLoad.Outcome profiled = null;
            Profile gatewayProfile = null;
            GatewayLatency.Outcome gatewayProfiled = null;
            String profileNote = o.profileSeconds() > 0 ? "this JDK has no jcmd (" + System.getProperty("java.home") + ")"
                    : "--profile 0";
            if (profiling) {
                if (o.appends()) {
                    log.println("profiling the server for " + o.profileSeconds() + " s ...");
                    Path recording = runDir.resolve("server.jfr");
                    Profile.start(server.pid(), recording);
                    profiled = log(log, load.run("recorded", o.clients(), false, Math.min(2, o.warmupSeconds()), o.profileSeconds()));
                    profile = Profile.stop(server.pid(), recording);
                    Files.copy(recording, o.data().resolve("load-last.jfr"), StandardCopyOption.REPLACE_EXISTING);
                }
                if (!gateway.isEmpty()) {
                    log.println("profiling the server's gateway calls ...");
                    Path calls = runDir.resolve("gateway.jfr");
                    Profile.start(server.pid(), calls);
                    gatewayProfiled = new GatewayLatency(api, server, upstream).run(0, o.gatewayCalls() / 2, o.turnsPerSession(),
                            GatewayLatency.Client.NEWEST_TURN);
                    gatewayProfile = Profile.stop(server.pid(), calls);
                    Files.copy(calls, o.data().resolve("load-last-gateway.jfr"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            List<String> serverErrors = server.errorLines();
            // Stopped now so the reference has the machine to itself; closing it again at the end of the block is a no-op.
            server.close();
            Reference reference = o.reference() && (o.appends() || !gateway.isEmpty())
                    ? reference(o, log, runDir, apiKey, upstream, control, !gateway.isEmpty()) : Reference.NONE;
            String conditions = String.format(Locale.ROOT, "1-minute load average %.1f at the start, %.1f at the end "
                            + "(other engineers' builds may share this machine); median fsync of 4 KiB %.0f µs at the start, %.0f µs "
                            + "at the end; the run took %.0f s", loadBefore, Machine.loadAverage(), fsyncBefore,
                    Machine.fsyncMicros(runDir), (System.nanoTime() - started) / 1e9);
            String build = o.serverClasspath().map(cp -> "class path given by --server-classpath (" + cp + ")")
                    .orElse("the same build and class path as the benchmark");
            return new LoadReport(new LoadReport.Run(o, Machine.describe(runDir), conditions, server.commandShown(), build, appends,
                    reference.appends(), gateway, reference.gateway(), gatewayNote, profile, profiled, gatewayProfile, gatewayProfiled, profileNote, serverErrors,
                    upstream.refused())).markdown();
        }
    }

    /** What the {@link ReferenceServer} measured: its own-session appends and its gateway's calls, each null if not run. */
    private record Reference(AppendLoad.Outcome appends, GatewayLatency.Outcome gateway) {
        static final Reference NONE = new Reference(null, null);
    }

    /**
     * The own-session appends (if the run measures appends) and the newest-message gateway calls (if the server's were
     * measured) against the {@link ReferenceServer}, alone on the machine (Parley's server has stopped): what the same
     * HTTP stack, SQLite settings, upstream client and generator reach on this machine today when an append or a turn
     * does the least it can.
     */
    private static Reference reference(LoadOptions o, PrintStream log, Path runDir, String apiKey, FixedUpstream upstream,
                                       HttpClient control, boolean gateway) throws IOException, InterruptedException {
        try (ServerProcess reference = ServerProcess.startReference(runDir.resolve("reference"), apiKey, upstream.baseUrl(),
                control)) {
            ApiCalls api = new ApiCalls(reference.url(), apiKey);
            AppendLoad.Outcome appends = null;
            if (o.appends()) {
                log.println("appends, " + o.clients() + " clients on their own sessions, bare reference server (pid "
                        + reference.pid() + ") ...");
                appends = log(log, new AppendLoad(api, reference, o.messageChars()).run("bare reference, own session each",
                        o.clients(), false, o.warmupSeconds(), o.seconds()));
            }
            GatewayLatency.Outcome calls = null;
            if (gateway) {
                log.println("gateway of the bare reference server, " + o.gatewayCalls() + " calls carrying only the newest message ...");
                calls = GatewayLatency.ofReference(api, reference, upstream).run(o.gatewayWarmup() / 2, o.gatewayCalls(),
                        o.turnsPerSession(), GatewayLatency.Client.NEWEST_TURN);
                log.printf(Locale.ROOT, "  direct p50 %s ms, reference gateway p50 %s ms%n",
                        LoadReport.ms(calls.direct().percentileMillis(0.5)), LoadReport.ms(calls.gateway().percentileMillis(0.5)));
            }
            List<String> errors = reference.errorLines();
            if (!errors.isEmpty()) {
                throw new IOException("the reference server logged errors: " + String.join("\n", errors));
            }
            return new Reference(appends, calls);
        }
    }

    private static AppendLoad.Outcome log(PrintStream log, AppendLoad.Outcome outcome) {
        log.printf(Locale.ROOT, "  %,.0f appends/s, p50 %s ms, p99 %s ms, %d errors%n", outcome.perSecond(),
                LoadReport.ms(outcome.latencies().percentileMillis(0.5)), LoadReport.ms(outcome.latencies().percentileMillis(0.99)),
                outcome.errorCount());
        return outcome;
    }

    /** A fresh admin key for this run's server only: 32 characters of [A-Za-z0-9]. */
    private static String newApiKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder key = new StringBuilder("bench_");
        for (int i = 0; i < 32; i++) {
            key.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return key.toString();
    }

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
}
