package dev.parley.store.redis.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} speaking TLS on a free loopback port, with the certificate a test gives it, started as a
 * child process of the test and stopped by {@link #close()}. It also listens in plain RESP on a second port, which
 * tells when it is ready. Clients need no certificate
 * ({@code tls-auth-clients no}, as on managed services); nothing is persisted.
 */
public final class LocalTlsRedis implements AutoCloseable {
    private final Process process;
    private final int tlsPort;

    private LocalTlsRedis(Process process, int tlsPort) {
        this.process = process;
        this.tlsPort = tlsPort;
    }

    /** Starts a server presenting {@code certificate}; its log is {@code redis-<tlsPort>.log} in {@code dir}. */
    public static LocalTlsRedis start(Path dir, TestAuthority.Issued certificate, Path caFile) throws IOException, InterruptedException {
        int tlsPort = freePort();
        int plainPort = freePort();
        Path log = dir.resolve("redis-" + tlsPort + ".log");
        Process process = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1",
                "--port", Integer.toString(plainPort), "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certificate.certificate().toString(), "--tls-key-file", certificate.key().toString(),
                "--tls-ca-cert-file", caFile.toString(), "--tls-auth-clients", "no",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalTlsRedis server = new LocalTlsRedis(process, tlsPort);
        // Start-up polling (setup, not an assertion): the server needs a moment before it accepts connections.
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IOException("redis-server with TLS did not start (is it built with TLS?): " + Files.readString(log));
            }
            if (answersPing(plainPort)) {
                return server;
            }
            Thread.sleep(50);
        }
        server.close();
        throw new IOException("redis-server with TLS did not answer within 10 s: " + Files.readString(log));
    }

    public int tlsPort() {
        return tlsPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server (SIGTERM; Redis exits at once as it has nothing to save). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
