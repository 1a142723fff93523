package dev.parley.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/** A one-line description of the machine a report was measured on. */
public final class Machine {
    private Machine() {
    }

    public static String describe(Path dataDir) {
        return describe() + ", database on " + fileSystem(dataDir);
    }

    /** Cores, memory, operating system and JDK. */
    public static String describe() {
        Runtime runtime = Runtime.getRuntime();
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return String.format(Locale.ROOT, "%d cores (%s), %s memory, %s %s (%s), JDK %s (%s)",
                runtime.availableProcessors(), cpuModel(), memory < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB",
                        memory / (1024.0 * 1024 * 1024)),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"));
    }

    /** The system's 1-minute load average; other processes' work shows in every figure. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * The median time of writing 4 KiB and forcing it to disk, in microseconds, in {@code dir}. Every
     * durable commit waits for one such flush, so it bounds what any benchmark here can reach.
     */
    public static double fsyncMicros(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, "fsync-", ".probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE)) {
            long[] nanos = new long[200];
            ByteBuffer page = ByteBuffer.allocate(4096);
            for (int i = 0; i < nanos.length; i++) {
                page.clear();
                long start = System.nanoTime();
                channel.write(page, (long) (i % 16) * 4096);
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            return nanos[nanos.length / 2] / 1000.0;
        } finally {
            Files.delete(probe);
        }
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "model unknown";
        }
        try {
            return Files.readAllLines(cpuinfo).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("model unknown");
        } catch (IOException e) {
            return "model unknown (" + e.getMessage() + ")";
        }
    }

    private static String fileSystem(Path dir) {
        try {
            return Files.getFileStore(dir).type() + " (" + dir + ")";
        } catch (IOException e) {
            return dir + " (file system unknown: " + e.getMessage() + ")";
        }
    }
}
