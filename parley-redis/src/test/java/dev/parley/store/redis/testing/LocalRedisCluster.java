package dev.parley.store.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of a few masters on loopback ports, started from the {@code redis-server} and
 * {@code redis-cli} binaries in a temporary directory and torn down (nodes shut down, directory
 * removed) by {@link #close()}. Nothing is persisted.
 */
public final class LocalRedisCluster implements AutoCloseable {
    private final Path dir;
    private final List<Integer> ports;

    private LocalRedisCluster(Path dir, List<Integer> ports) {
        this.dir = dir;
        this.ports = ports;
    }

    /** Whether {@code redis-server} and {@code redis-cli} can be run from the PATH. */
    public static boolean binariesAvailable() {
        return runs("redis-server", "--version") && runs("redis-cli", "--version");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static LocalRedisCluster start(int masters) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("parley-redis-cluster");
        List<Integer> ports = freePorts(masters);
        LocalRedisCluster cluster = new LocalRedisCluster(dir, ports);
        try {
            for (int port : ports) {
                run(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "yes",
                        "--logfile", dir.resolve("redis-" + port + ".log").toString()));
            }
            for (int port : ports) {
                awaitTrue("node " + port + " answering", () -> answersPing(port));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            for (int port : ports) {
                awaitTrue("cluster state ok at node " + port, () -> output(List.of("redis-cli", "-p", Integer.toString(port),
                        "cluster", "info")).contains("cluster_state:ok"));
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The store URL of this cluster, naming every node (any one would do). */
    public String url() {
        return "redis-cluster://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return ports;
    }

    /** Ports p with p and its cluster bus port p + 10000 both free on loopback. */
    private static List<Integer> freePorts(int n) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; ports.size() < n && attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (!ports.contains(port) && free(port) && free(port + 10_000)) {
                ports.add(port);
            }
        }
        if (ports.size() < n) {
            throw new IOException("found no " + n + " free loopback ports for a Redis Cluster");
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }

    /** Polls a start-up condition (setup, not an assertion): the nodes need a moment to come up and agree. */
    private static void awaitTrue(String what, Condition condition) throws IOException, InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("the local Redis Cluster did not come up: no " + what + " after 30 s");
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** Shuts every node down without saving and removes the directory. */
    /** Whether a node answers PING: a plain socket, so a probe never waits on a client's retries. */
    private static boolean answersPing(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] reply = socket.getInputStream().readNBytes(5);
            return new String(reply, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (int port : ports) {
            try {
                if (answersPing(port)) {
                    run(List.of("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave"));
                }
            } catch (IOException e) {
                // redis-cli reports the dropped connection of a node that shut down as an error; check it is gone.
                if (answersPing(port)) {
                    failures.add(port + ": " + e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(port + ": interrupted");
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Redis Cluster nodes did not shut down: " + failures);
        }
    }
}
