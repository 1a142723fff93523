package dev.parley.cli.scale;

import dev.parley.cli.ChildJvm;
import dev.parley.cli.ParleyCli;
import dev.parley.json.ParleyJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several {@code parley serve} processes, each in a JVM of its own as an operator would run them, all serving one
 * shared store with the same API key, master key and token secret. Closing stops them as an orchestrator would
 * (SIGTERM, then a bounded wait).
 */
final class ServerFleet implements AutoCloseable {
    /** A bound on start-up against a server that hangs, not a measurement: a healthy one starts in a few seconds. */
    private static final long START_BOUND_MILLIS = 120_000;

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outs = new ArrayList<>();
    private final List<Path> errs = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    private ServerFleet() {
    }

    /**
     * Starts {@code count} servers on free ports of 127.0.0.1 over {@code store} and returns once each answers
     * {@code /health}; {@code environment} (the shared secrets) is added to each server's environment.
     */
    static ServerFleet start(int count, String store, String apiKey, Map<String, String> environment, Path dir, Http http)
            throws IOException, InterruptedException {
        ServerFleet fleet = new ServerFleet();
        try {
            for (int i = 0; i < count; i++) {
                ProcessBuilder builder = ChildJvm.of(ParleyCli.class, "serve", "--json", "--port", "0", "--store", store,
                        "--api-key", apiKey, "--set", "rateLimit=0", "--set", "accessLog=false");
                // Only the settings this test gives: a PARLEY_* variable of the developer's shell must not change the run.
                builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
                builder.environment().putAll(environment);
                Path out = dir.resolve("server-" + i + ".out");
                Path err = dir.resolve("server-" + i + ".err");
                builder.redirectOutput(out.toFile()).redirectError(err.toFile());
                fleet.outs.add(out);
                fleet.errs.add(err);
                fleet.processes.add(builder.start());
            }
            long deadline = System.currentTimeMillis() + START_BOUND_MILLIS;
            for (int i = 0; i < count; i++) {
                String url = fleet.awaitUrl(i, deadline);
                fleet.awaitHealthy(i, url, http, deadline);
                fleet.urls.add(url);
            }
            return fleet;
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                fleet.close();
            } catch (RuntimeException | InterruptedException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    /** The base URLs, e.g. {@code http://127.0.0.1:41234}, in start order. */
    List<String> urls() {
        return List.copyOf(urls);
    }

    /** Lines any server logged at ERROR level (a fault inside a server, such as a 500), each prefixed with its server. */
    List<String> errorLines() throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < errs.size(); i++) {
            for (String line : Files.readAllLines(errs.get(i), StandardCharsets.UTF_8)) {
                if (line.startsWith("ERROR")) {
                    out.add("server " + i + ": " + line);
                }
            }
        }
        return out;
    }

    /** The URL the server prints as JSON once it listens ({@code --port 0} lets it pick a free port without a race). */
    private String awaitUrl(int i, long deadline) throws IOException, InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(outs.get(i), StandardCharsets.UTF_8)) {
                if (line.startsWith("{")) {
                    return ParleyJson.parse(line, "serve output").get("url").asString();
                }
            }
            requireAlive(i);
            Thread.sleep(100);
        }
        throw new IOException("server " + i + " printed no URL within " + START_BOUND_MILLIS / 1000 + " s" + logOf(i));
    }

    private void awaitHealthy(int i, String url, Http http, long deadline) throws IOException, InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.probe(url, "/health") == 200) {
                    return;
                }
            } catch (IOException notYet) {
                requireAlive(i);
            }
            Thread.sleep(100);
        }
        throw new IOException("server " + i + " at " + url + " did not answer /health within " + START_BOUND_MILLIS / 1000 + " s"
                + logOf(i));
    }

    private void requireAlive(int i) throws IOException {
        if (!processes.get(i).isAlive()) {
            throw new IOException("server " + i + " exited with status " + processes.get(i).exitValue() + logOf(i));
        }
    }

    private String logOf(int i) throws IOException {
        List<String> lines = Files.readAllLines(errs.get(i), StandardCharsets.UTF_8);
        return "; its stderr ends with:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                stuck.add("server " + i);
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
        if (!stuck.isEmpty()) {
            throw new IllegalStateException(stuck + " did not stop within 45 s of SIGTERM and were killed");
        }
    }
}
