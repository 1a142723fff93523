package dev.parley.bench.load;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown report of one load run: machine, conditions, every figure, where the server's time went, the targets. */
final class LoadReport {
    /** Durable appends per second that 64 clients, each on its own session, must get through {@code parley serve}. */
    static final double APPENDS_TARGET = 20_000;
    /** ... with this p99 latency as the clients see it, in milliseconds. */
    static final double P99_TARGET_MS = 10;
    /** What the gateway may add to a model call at the median, in milliseconds. */
    static final double GATEWAY_ADDED_P50_TARGET_MS = 1.0;

    /**
     * Everything the report shows; {@code gateway} is empty, or {@code profile} null, when that part did not run, and the
     * note says why. {@code gateway} holds one outcome per kind of client, newest turn only first.
     */
    record Run(LoadOptions options, String machine, String conditions, String serverCommand, String serverBuild,
               List<AppendLoad.Outcome> appends, AppendLoad.Outcome reference, List<GatewayLatency.Outcome> gateway,
               GatewayLatency.Outcome referenceGateway, String gatewayNote, Profile profile,
               AppendLoad.Outcome profiled, Profile gatewayProfile, GatewayLatency.Outcome gatewayProfiled, String profileNote,
               List<String> serverErrors, long upstreamRefused) {
    }

    private final Run run;

    LoadReport(Run run) {
        this.run = run;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        LoadOptions o = run.options();
        md.append("# Load: `parley serve` on SQLite under ").append(o.clients()).append(" clients, ").append(LocalDate.now())
                .append("\n\n");
        md.append("- Command: `").append(o.commandLine()).append("` (see parley-bench/README.md)\n");
        md.append("- Machine: ").append(run.machine()).append('\n');
        md.append("- Conditions: ").append(run.conditions()).append('\n');
        md.append("- Server: a JVM of its own, started as `").append(run.serverCommand()).append("`; ").append(run.serverBuild())
                .append(". Store: SQLite, WAL, `synchronous=FULL`, group commit: an append is durable when its 201 is sent.\n");
        if (!o.note().isBlank()) {
            md.append("- Note: ").append(o.note()).append('\n');
        }
        md.append("- Clients: ").append(o.clients()).append(" virtual threads in the benchmark's JVM on the same machine, ")
                .append("a kept-alive HTTP/1.1 connection each, driven by Apache HttpCore 5's blocking connection and request executor (no pool, no execution chain), closed loop (each sends its next request when the last returns), a ")
                .append(o.messageChars()).append("-character user message per append; ")
                .append(fmt(o.warmupSeconds())).append(" s warm-up, then ").append(fmt(o.seconds())).append(" s timed, per variant.\n");
        md.append("- Latency: from sending the request to reading the whole response, as the client sees it (percentiles by "
                + "nearest rank over every timed request).\n\n");

        md.append("## Appends\n\n");
        if (run.appends().isEmpty()) {
            md.append("Not measured: --appends false.\n\n");
        }
        md.append("| variant | clients | sessions | appends/s | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU µs/append "
                + "| client CPU µs/append | server cores | of which JIT | client cores | machine busy |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AppendLoad.Outcome a : measuredAppends()) {
            Latencies l = a.latencies();
            md.append("| ").append(a.variant()).append(" | ").append(a.clients()).append(" | ").append(a.sessions()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", a.perSecond())).append(" | ")
                    .append(ms(l.percentileMillis(0.50))).append(" | ").append(ms(l.percentileMillis(0.95))).append(" | ")
                    .append(ms(l.percentileMillis(0.99))).append(" | ").append(ms(l.maxMillis())).append(" | ")
                    .append(errors(a)).append(" | ")
                    .append(micros(a.cpu().serverNanos(), a.appends())).append(" | ").append(micros(a.cpu().clientNanos(), a.appends()))
                    .append(" | ").append(fmt(a.cpu().serverCores())).append(" | ").append(jit(a.cpu())).append(" | ")
                    .append(fmt(a.cpu().clientCores())).append(" | ")
                    .append(Double.isNaN(a.cpu().machineBusy()) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * a.cpu().machineBusy()))
                    .append(" |\n");
        }
        md.append("\nServer and client CPU per append are each process's CPU time (all threads, user and system) over the window "
                + "divided by the appends; cores are CPU seconds per second. Both processes share the machine's cores, so the "
                + "generator's own CPU is CPU the server could not use. \"Of which JIT\" is the server's JIT compiler threads: "
                + "well above 0.00, the server was still being compiled during the window and its figures are not yet a warm "
                + "server's.\n\n");
        for (AppendLoad.Outcome a : measuredAppends()) {
            if (a.appends() == 0) {
                continue;
            }
            double server = (double) a.cpu().serverNanos() / a.appends();
            double client = (double) a.cpu().clientNanos() / a.appends();
            int cores = Runtime.getRuntime().availableProcessors();
            md.append(String.format(Locale.ROOT, "- %s: what the CPU per append allows on %d otherwise idle cores: about %,.0f appends/s "
                            + "with this generator beside the server (%d cores ÷ %.0f µs), about %,.0f/s with the server alone on them "
                            + "(a load generator elsewhere).%n", a.variant(), cores, cores * 1e9 / (server + client), cores, (server + client) / 1e3,
                    cores * 1e9 / server));
        }
        md.append('\n');
        if (run.reference() != null) {
            referenceNote(md, run.appends().getFirst(), run.reference());
        }

        md.append("## Gateway: added latency over calling the upstream directly\n\n");
        if (run.gateway().isEmpty()) {
            md.append("Not measured: ").append(run.gatewayNote()).append("\n\n");
        } else {
            int turns = run.gateway().getFirst().turnsPerSession();
            md.append("One client, one call at a time, alternating the same OpenAI request between the upstream itself and the "
                    + "gateway (`POST /v1/chat/completions`, `X-Parley-Session`). The upstream is a fixed `chat.completion` "
                    + "answered at once by a JDK `HttpServer` in the benchmark's JVM. A session takes ").append(turns)
                    .append(" turns, then the next one starts (created before the timed calls), so the context the gateway builds "
                            + "and sends grows from 1 to ").append(2 * turns - 1).append(" messages. Two kinds of client, one after "
                            + "the other: one sends only the newest user message (the session holds the rest), the other the whole "
                            + "conversation so far, as OpenAI's SDK examples do, which the gateway lines up with the stored path "
                            + "first. Untimed calls of each kind first: ").append(run.gateway().getFirst().warmupCalls())
                    .append(" for the first client, ").append(run.gateway().getLast().warmupCalls()).append(" for the second.\n\n");
            md.append("| client | path | calls | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---:|---:|---:|---:|---:|\n");
            for (GatewayLatency.Outcome g : run.gateway()) {
                row(md, g.client().carries + " | upstream, directly", g.direct());
                row(md, g.client().carries + " | through the gateway", g.gateway());
            }
            GatewayLatency.Outcome reference = run.referenceGateway();
            if (reference != null) {
                row(md, reference.client().carries + " | upstream, directly (during the reference's calls)", reference.direct());
                row(md, reference.client().carries + " | through the bare reference's gateway", reference.gateway());
            }
            md.append('\n');
            for (GatewayLatency.Outcome g : run.gateway()) {
                md.append(String.format(Locale.ROOT, "Added by the gateway, carrying %s: **%.3f ms at p50**, %.3f ms at p99. Server "
                                + "CPU per gateway call: %s µs (of which the JIT compiler: %s µs).%n%n", g.client().carries,
                        g.addedP50(), g.addedP99(), g.cpu() == null ? "n/a" : micros(g.cpu().serverNanos(), g.calls()),
                        g.cpu() == null || g.cpu().serverJitNanos() < 0 ? "n/a" : micros(g.cpu().serverJitNanos(), g.calls())));
            }
            if (reference != null) {
                md.append(String.format(Locale.ROOT, "The last two rows are not Parley: the same newest-message calls, after `parley "
                                + "serve` stopped, against the bare reference server's gateway (`ReferenceServer`, see the appends), "
                                + "which sends the request as it came to the upstream through the same client Parley's adapters use "
                                + "(Apache HttpClient 5, blocking) and stores the request's message and the reply in one durable "
                                + "commit: the HTTP hop, the upstream call and the write a gateway that keeps conversations cannot "
                                + "avoid, without reading the session, lining up a history or building a context. It adds "
                                + "**%.3f ms at p50** here (%s µs of server CPU per call), so %.3f ms of what Parley's gateway "
                                + "adds for such calls is its own work.%n%n", reference.addedP50(),
                        reference.cpu() == null ? "n/a" : micros(reference.cpu().serverNanos(), reference.calls()),
                        run.gateway().getFirst().addedP50() - reference.addedP50()));
            }
        }

        md.append("## Where the server's time goes\n\n");
        if (run.profile() == null && run.gatewayProfile() == null) {
            md.append("Not recorded: ").append(run.profileNote()).append("\n\n");
        } else {
            if (run.profile() != null) {
                appendsProfile(md);
            }
            if (run.gatewayProfile() != null) {
                GatewayLatency.Outcome g = run.gatewayProfiled();
                md.append("### Gateway calls\n\n");
                md.append(String.format(Locale.ROOT, "%,d further gateway calls (p50 %s ms, %s µs of server CPU per call), recorded the "
                                + "same way.%n%n", g.calls(), ms(g.gateway().percentileMillis(0.50)),
                        g.cpu() == null ? "n/a" : micros(g.cpu().serverNanos(), g.calls())));
                profile(md, run.gatewayProfile());
            }
        }

        md.append("## Targets\n\n");
        if (run.appends().isEmpty()) {
            md.append("- The append targets: **not measured** (--appends false).\n");
        } else {
            appendTargets(md);
        }
        if (!run.gateway().isEmpty()) {
            for (GatewayLatency.Outcome g : run.gateway()) {
                md.append(String.format(Locale.ROOT, "- The gateway adds at most %.1f ms at p50, calls carrying %s: **%s** (%.3f ms).%n",
                        GATEWAY_ADDED_P50_TARGET_MS, g.client().carries, g.addedP50() <= GATEWAY_ADDED_P50_TARGET_MS ? "met" : "missed",
                        g.addedP50()));
            }
        } else {
            md.append("- The gateway adds at most ").append(GATEWAY_ADDED_P50_TARGET_MS).append(" ms at p50: **not measured**.\n");
        }
        return md.toString();
    }

    /** Parley's appends and then, if it ran, the bare reference's. */
    private List<AppendLoad.Outcome> measuredAppends() {
        List<AppendLoad.Outcome> all = new java.util.ArrayList<>(run.appends());
        if (run.reference() != null) {
            all.add(run.reference());
        }
        return all;
    }

    private static void referenceNote(StringBuilder md, AppendLoad.Outcome parley, AppendLoad.Outcome reference) {
        md.append("The last row is not Parley: it is the bare reference (`ReferenceServer` in parley-bench), run after `parley "
                + "serve` stopped, with the same generator, clients, message and windows. It keeps what an append cannot do "
                + "without (Javalin on Jetty as the server runs it, a bearer key, the JSON parsed, WAL with `synchronous=FULL`, "
                + "one writer committing in groups, a 201 only once durable) and drops the rest: no validation, conditional "
                + "writes, idempotency, counters, budgets, metrics or privacy, one row inserted and one updated. It is the "
                + String.format(Locale.ROOT, "\"bare Javalin + SQLite group commit\" prototype the %,.0f/s target was set "
                + "against (about 39,000/s on the machine of that day, with `wrk` as the client), measured on this machine "
                + "today.%n%n", APPENDS_TARGET));
        if (parley.appends() == 0 || reference.appends() == 0) {
            return;
        }
        md.append(String.format(Locale.ROOT, "- Parley's own-session appends reached **%.0f%%** of the reference's rate "
                        + "(%,.0f against %,.0f/s), at %s against %s µs of server CPU per append; the generator spent %s and %s µs.%n%n",
                100 * parley.perSecond() / reference.perSecond(), parley.perSecond(), reference.perSecond(),
                micros(parley.cpu().serverNanos(), parley.appends()), micros(reference.cpu().serverNanos(), reference.appends()),
                micros(parley.cpu().clientNanos(), parley.appends()), micros(reference.cpu().clientNanos(), reference.appends())));
    }

    private void appendsProfile(StringBuilder md) {
        md.append("### Appends\n\n");
        md.append("A further ").append(fmt(run.profiled().seconds())).append(" s window of the own-session variant (")
                .append(String.format(Locale.ROOT, "%,.0f appends/s, p99 %s ms, %s µs of server CPU per append",
                        run.profiled().perSecond(), ms(run.profiled().latencies().percentileMillis(0.99)),
                        micros(run.profiled().cpu().serverNanos(), run.profiled().appends())))
                .append("), recorded by JDK Flight Recorder in the server.\n\n");
        profile(md, run.profile());
    }

    private void appendTargets(StringBuilder md) {
        AppendLoad.Outcome own = run.appends().getFirst();
        double p99 = own.latencies().percentileMillis(0.99);
        md.append(String.format(Locale.ROOT, "- At least %,.0f durable appends/s with %d clients on their own sessions: **%s** "
                        + "(%,.0f/s).%n", APPENDS_TARGET, own.clients(), own.perSecond() >= APPENDS_TARGET ? "met" : "missed",
                own.perSecond()));
        md.append(String.format(Locale.ROOT, "- p99 at most %.0f ms under that load: **%s** (%s ms).%n", P99_TARGET_MS,
                p99 <= P99_TARGET_MS ? "met" : "missed", ms(p99)));
        md.append("- No errors: **").append(run.appends().stream().allMatch(a -> a.errorCount() == 0) && run.serverErrors().isEmpty()
                && run.upstreamRefused() == 0 ? "met" : "missed").append("**");
        if (!run.serverErrors().isEmpty()) {
            md.append(" (the server logged ").append(run.serverErrors().size()).append(" ERROR lines; the first: `")
                    .append(run.serverErrors().getFirst().replace('`', '\'')).append("`)");
        }
        md.append(".\n");
    }

    private static void profile(StringBuilder md, Profile p) {
        md.append("Settings `profile` (`jcmd <pid> JFR.start`); the tables count ").append(p.sampler()).append(": ")
                .append(String.format(Locale.ROOT, "%,d", p.javaSamples())).append(" samples of Java code, ").append(String.format(Locale.ROOT, "%,d", p.nativeSamples()))
                .append(" of threads in native code; ").append(p.gcCount()).append(" garbage collections paused the server for ")
                .append(p.gcPauses().toMillis()).append(" ms in all.\n\n");
        md.append("By component (the innermost frame that is not the JDK's; stacks of JDK code only are listed by its package):\n\n");
        table(md, "component", p.components(), p.javaSamples());
        md.append("Hottest methods (self time, top of the stack):\n\n");
        table(md, "method", p.hotMethods(), p.javaSamples());
        md.append("Parley's methods by the share of samples they are on the stack of (inclusive):\n\n");
        table(md, "method", p.parleyMethods(), p.javaSamples());
        md.append("Threads sampled in native code, by the native method on top (mostly waiting: selectors polling, the SQLite "
                + "writer in its commit and fsync):\n\n");
        table(md, "native method", p.nativeTop(), p.nativeSamples());
    }

    private static void table(StringBuilder md, String what, Map<String, Long> counts, long total) {
        md.append("| ").append(what).append(" | samples | share |\n|---|---:|---:|\n");
        counts.forEach((name, count) -> md.append("| `").append(name).append("` | ").append(String.format(Locale.ROOT, "%,d", count))
                .append(" | ").append(String.format(Locale.ROOT, "%.1f%%", total == 0 ? 0.0 : 100.0 * count / total)).append(" |\n"));
        md.append('\n');
    }

    /** A table row: {@code leadingCells} (one cell, or several already joined by {@code " | "}), then the latencies. */
    private static void row(StringBuilder md, String leadingCells, Latencies l) {
        md.append("| ").append(leadingCells).append(" | ").append(String.format(Locale.ROOT, "%,d", l.count())).append(" | ")
                .append(ms(l.percentileMillis(0.50))).append(" | ").append(ms(l.percentileMillis(0.95))).append(" | ")
                .append(ms(l.percentileMillis(0.99))).append(" | ").append(ms(l.maxMillis())).append(" |\n");
    }

    private static String errors(AppendLoad.Outcome a) {
        if (a.errors().isEmpty()) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        a.errors().forEach((kind, count) -> out.append(out.isEmpty() ? "" : ", ").append(count).append(" × ").append(kind));
        return out.toString();
    }

    private static String micros(long nanos, long operations) {
        return operations == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", nanos / 1e3 / operations);
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        return millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis) : String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String jit(CpuUse cpu) {
        double cores = cpu.serverJitCores();
        return Double.isNaN(cores) ? "n/a" : String.format(Locale.ROOT, "%.2f", cores);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
