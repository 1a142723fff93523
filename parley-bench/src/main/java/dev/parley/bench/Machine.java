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

    /** {@code /proc} counts CPU time in clock ticks of USER_HZ, 100 per second on every Linux kernel the JDK runs on. */
    public static final long NANOS_PER_TICK = 10_000_000L;

    /**
     * User + system CPU ticks from a line of {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}: fields 14
     * and 15 (utime, stime), counted after the command name, which may hold spaces and parentheses.
     */
    public static long cpuTicksOfStatLine(String line) {
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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

    /**
     * The machine's CPU time so far, from the first line of {@code /proc/stat} (in clock ticks); {@code null} where
     * there is no such file. On a virtual machine "steal" is time the hypervisor gave this machine's cores to other
     * guests: while it is high, every rate measured here is lower than the cores could do.
     */
    public static CpuTicks cpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new CpuTicks(total, idle, steal);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** All, idle (with I/O wait) and stolen CPU ticks of every core since boot. */
    public record CpuTicks(long total, long idle, long steal) {
        /** "busy B%, stolen S%" of the cores' time from {@code this} reading to {@code later}. */
        public String until(CpuTicks later) {
            if (later == null) {
                return "CPU use unknown";
            }
            double all = Math.max(1, later.total - total);
            return String.format(Locale.ROOT, "cores busy %.0f%% and stolen by the hypervisor %.0f%% of the time",
                    100 * (all - (later.idle - idle) - (later.steal - steal)) / all, 100 * (later.steal - steal) / all);
        }
    }
}
