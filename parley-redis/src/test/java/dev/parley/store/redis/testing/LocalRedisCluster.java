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
 * removed) by {@link #close()}. Nothing is persisted. {@link #startTls} makes one whose nodes speak only TLS.
 */
public final class LocalRedisCluster implements AutoCloseable {
    private final Path dir;
    private final List<Integer> ports;
    /** TLS: the PEM file of the CA that signed the nodes' certificate; {@code null} for a plain cluster. */
    private final Path caFile;

    private LocalRedisCluster(Path dir, List<Integer> ports, Path caFile) {
        this.dir = dir;
        this.ports = ports;
        this.caFile = caFile;
    }

    /** Whether {@code redis-server} and {@code redis-cli} can be run from the PATH. */
    public static boolean binariesAvailable() {
        return runs("redis-server", "--version") && runs("redis-cli", "--version");
    }

    /** Whether {@code command} runs from the PATH and exits with 0 within 10 s. */
    static boolean runs(String... command) {
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
        return start(masters, null, null);
    }

    /**
     * A cluster whose nodes speak only TLS, to clients and on the cluster bus, each presenting {@code certificate},
     * which must allow client use (nodes present it to each other on the bus). The nodes announce themselves as
     * 127.0.0.1: a certificate that does not name it passes only clients that skip the host-name check. Clients need
     * no certificate of their own.
     */
    public static LocalRedisCluster startTls(int masters, TestAuthority.Issued certificate, Path caFile)
            throws IOException, InterruptedException {
        return start(masters, certificate, caFile);
    }

    private static LocalRedisCluster start(int masters, TestAuthority.Issued certificate, Path caFile)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("parley-redis-cluster");
        List<Integer> ports = freePorts(masters);
        LocalRedisCluster cluster = new LocalRedisCluster(dir, ports, caFile);
        try {
            for (int port : ports) {
                List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1"));
                if (certificate == null) {
                    command.addAll(List.of("--port", Integer.toString(port)));
                } else {
                    command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cluster", "yes",
                            "--tls-cert-file", certificate.certificate().toString(), "--tls-key-file", certificate.key().toString(),
                            "--tls-ca-cert-file", caFile.toString(), "--tls-auth-clients", "no"));
                }
                command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "yes",
                        "--logfile", dir.resolve("redis-" + port + ".log").toString()));
                run(command);
            }
            for (int port : ports) {
                awaitTrue("node " + port + " answering", () -> cluster.answersPing(port));
            }
            List<String> create = cluster.cli("--cluster", "create");
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            for (int port : ports) {
                awaitTrue("cluster state ok at node " + port, () -> output(cluster.cli("-p", Integer.toString(port),
                        "cluster", "info")).contains("cluster_state:ok"));
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** A redis-cli command line for this cluster's nodes (over TLS if they speak it). */
    private List<String> cli(String... arguments) {
        List<String> command = new ArrayList<>(List.of("redis-cli"));
        if (caFile != null) {
            command.addAll(List.of("--tls", "--cacert", caFile.toString()));
        }
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * The store URL of this cluster, naming every node (any one would do): {@code redis-cluster://…}, or for a TLS
     * cluster {@code rediss-cluster://…?ca=<the CA's PEM file>}.
     */
    public String url() {
        String nodes = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        return caFile == null ? "redis-cluster://" + nodes : "rediss-cluster://" + nodes + "?ca=" + caFile;
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

    /**
     * Whether a node answers PING: a plain socket, so a probe never waits on a client's retries; redis-cli for a
     * TLS node.
     */
    private boolean answersPing(int port) throws InterruptedException {
        if (caFile != null) {
            try {
                return output(cli("-p", Integer.toString(port), "ping")).contains("PONG");
            } catch (IOException e) {
                return false;
            }
        }
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

    /** Shuts every node down without saving and removes the directory. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (int port : ports) {
            try {
                if (answersPing(port)) {
                    run(cli("-p", Integer.toString(port), "shutdown", "nosave"));
                }
            } catch (IOException e) {
                // redis-cli reports the dropped connection of a node that shut down as an error; check it is gone.
                try {
                    if (answersPing(port)) {
                        failures.add(port + ": " + e.getMessage());
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failures.add(port + ": interrupted");
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
