package dev.parley.bench.load;

import dev.parley.bench.Machine;
import dev.parley.json.ParleyJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley serve} in a JVM of its own, as an operator starts it ({@code ./parley serve} adds only
 * {@code --enable-native-access}), so that the load generator and the server never share a heap or a JIT. It listens
 * on a free port of 127.0.0.1 ({@code --port 0}) and prints its URL as JSON ({@code --json}).
 */
final class ServerProcess implements AutoCloseable {
    /** A bound on start-up against a server that hangs, not a measurement: a healthy one starts in a few seconds. */
    private static final long START_BOUND_MILLIS = 120_000;

    private final Process process;
    private final Path out;
    private final Path err;
    private final List<String> command;
    private String url;

    private ServerProcess(Process process, Path out, Path err, List<String> command) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.command = command;
    }

    /**
     * Starts the server ({@code jvmOptions} added to its JVM's command line) on the SQLite database {@code dir/p.db} with {@code apiKey} as its admin key, rate limits and
     * the access log and the sweeper off, and OpenAI at {@code upstreamBaseUrl} as its only provider (so the upstream of
     * its gateway), configured the way users do, by {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY}; returns once it
     * answers {@code /health}.
     */
    static ServerProcess start(String classpath, List<String> jvmOptions, Path dir, String apiKey, String upstreamBaseUrl,
                               HttpClient http) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "dev.parley.cli.ParleyCli", "serve", "--json",
                "--port", "0", "--store", "sqlite:" + dir.resolve("p.db"), "--api-key", apiKey,
                "--set", "rateLimit=0", "--set", "accessLog=false", "--set", "sweepInterval=0"));
        return launch(command, dir, Map.of("OPENAI_BASE_URL", upstreamBaseUrl, "OPENAI_API_KEY", FixedUpstream.API_KEY), http);
    }

    /**
     * Starts the {@link ReferenceServer} (from the benchmark's own class path) on the SQLite database {@code dir/r.db}
     * with {@code apiKey} and the OpenAI upstream at {@code upstreamBaseUrl}, the same way; returns once it answers
     * {@code /health}.
     */
    static ServerProcess startReference(Path dir, String apiKey, String upstreamBaseUrl, HttpClient http)
            throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ReferenceServer.class.getName(), "--db", dir.resolve("r.db").toString(), "--api-key", apiKey,
                "--upstream", upstreamBaseUrl, "--upstream-key", FixedUpstream.API_KEY);
        return launch(command, dir, Map.of(), http);
    }

    private static ServerProcess launch(List<String> command, Path dir, Map<String, String> environment, HttpClient http)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command);
        // Only the settings given here: a PARLEY_* variable of the developer's shell must not change the run.
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("OPENAI_")
                || name.startsWith("ANTHROPIC_") || name.startsWith("GEMINI_") || name.equals("OLLAMA_HOST"));
        builder.environment().putAll(environment);
        Path out = dir.resolve("server.out");
        Path err = dir.resolve("server.err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        ServerProcess server = new ServerProcess(builder.start(), out, err, command);
        try {
            long deadline = System.currentTimeMillis() + START_BOUND_MILLIS;
            server.url = server.awaitUrl(deadline);
            server.awaitHealthy(http, deadline);
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** The command line, with the API key hidden: it goes into the report. */
    String commandShown() {
        List<String> shown = new ArrayList<>(command);
        int key = shown.indexOf("--api-key");
        shown.set(key + 1, "<key>");
        int cp = shown.indexOf("-cp");
        shown.set(cp + 1, "<class path>");
        return String.join(" ", shown);
    }

    /** CPU time the server's process has used so far (every thread, user and system), in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("the operating system does not report the CPU time of process "
                        + process.pid()));
    }

    /**
     * CPU time of the server's JIT compiler threads ({@code C1/C2 CompilerThread*}), from {@code /proc}; -1 where the
     * system has no {@code /proc}. A window with the compiler still busy measures a server that is not yet warm.
     */
    long jitCpuNanos() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                        continue;
                    }
                    ticks += Machine.cpuTicksOfStatLine(Files.readString(task.resolve("stat")));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // A compiler thread that ended between listing and reading: its time is no longer counted anywhere.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * Machine.NANOS_PER_TICK;
    }

    /** Lines the server logged at ERROR level. */
    List<String> errorLines() throws IOException {
        return Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(line -> line.contains("ERROR")).toList();
    }

    private String awaitUrl(long deadline) throws IOException, InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (line.startsWith("{")) {
                    return ParleyJson.parse(line, "serve output").get("url").asString();
                }
            }
            requireAlive();
            Thread.sleep(50);
        }
        throw new IOException("the server printed no URL within " + START_BOUND_MILLIS / 1000 + " s" + logTail());
    }

    private void awaitHealthy(HttpClient http, long deadline) throws IOException, InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build();
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                requireAlive();
            }
            Thread.sleep(50);
        }
        throw new IOException("the server at " + url + " did not answer /health within " + START_BOUND_MILLIS / 1000 + " s"
                + logTail());
    }

    private void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the server exited with status " + process.exitValue() + logTail());
        }
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        return "; its stderr ends with:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Stops the server as an orchestrator would: SIGTERM (requests in flight finish), then a bounded wait. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            throw new IllegalStateException("the server (pid " + process.pid() + ") did not stop within 60 s of SIGTERM and was killed");
        }
    }
}
