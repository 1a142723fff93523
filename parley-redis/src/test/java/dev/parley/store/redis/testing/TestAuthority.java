package dev.parley.store.redis.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with the {@code openssl} command in a directory of the caller's, for
 * tests of TLS: its certificate ({@link #certificate()}, a PEM file to trust) and server certificates it signs for
 * the names a test chooses. Keys are P-256 (quick to make); everything is valid for two days.
 */
public final class TestAuthority {
    private final Path dir;
    private final String name;

    /** A server certificate and its unencrypted private key, both PEM files. */
    public record Issued(Path certificate, Path key) {
    }

    private TestAuthority(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** Whether the {@code openssl} command can be run from the PATH. */
    public static boolean opensslAvailable() {
        return LocalRedisCluster.runs("openssl", "version");
    }

    /** Makes a CA whose files are {@code <name>.pem} and {@code <name>.key} in {@code dir}. */
    public static TestAuthority create(Path dir, String name) throws IOException, InterruptedException {
        TestAuthority ca = new TestAuthority(dir, name);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /** The CA's certificate: the PEM file a client trusts ({@code ca=}). */
    public Path certificate() {
        return dir.resolve(name + ".pem");
    }

    /**
     * Signs a certificate for the given subject alternative names ({@code "DNS:localhost"}, {@code "IP:127.0.0.1"}),
     * usable by a server and, as Redis Cluster nodes need on their bus, by a client.
     */
    public Issued issue(String fileName, String... subjectAltNames) throws IOException, InterruptedException {
        Path extensions = dir.resolve(fileName + ".ext");
        Files.writeString(extensions, "subjectAltName=" + String.join(",", subjectAltNames) + "\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", fileName + ".key", "-out", fileName + ".csr", "-subj", "/CN=" + fileName);
        openssl(dir, "x509", "-req", "-in", fileName + ".csr", "-CA", certificate().toString(), "-CAkey", name + ".key",
                "-set_serial", Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE), "-days", "2",
                "-extfile", extensions.toString(), "-out", fileName + ".pem");
        return new Issued(dir.resolve(fileName + ".pem"), dir.resolve(fileName + ".key"));
    }

    private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
