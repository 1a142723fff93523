package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the CPU went during a window: the server's process, this process (the load generator) and the whole machine,
 * so a report can say how much of the two cores each side took and how much was left idle. The client and the server
 * share the machine's cores; every figure of a load run has to be read with that in mind.
 *
 * @param serverNanos  CPU time of the server's process
 * @param clientNanos  CPU time of this process
 * @param machineBusy  fraction of all cores' time not idle (nor waiting for I/O), from {@code /proc/stat}; NaN where
 *                     the system does not have it
 * @param wallNanos    length of the window
 */
record CpuUse(long serverNanos, long clientNanos, double machineBusy, long wallNanos) {

    /** A reading at one instant; two of them make a {@link CpuUse}. */
    record Mark(long server, long client, Optional<long[]> machine, long wall) {
        static Mark now(ServerProcess server) {
            return new Mark(server.cpuNanos(), processCpuNanos(), machineTicks(), System.nanoTime());
        }

        CpuUse until(Mark end) {
            double busy = Double.NaN;
            if (machine.isPresent() && end.machine.isPresent()) {
                long[] a = machine.get();
                long[] b = end.machine.get();
                long total = b[0] - a[0];
                long idle = b[1] - a[1];
                busy = total <= 0 ? Double.NaN : 1.0 - (double) idle / total;
            }
            return new CpuUse(end.server - server, end.client - client, busy, end.wall - wall);
        }
    }

    /** Cores' worth of CPU the server used on average over the window (2.0 = both cores of a 2-core machine). */
    double serverCores() {
        return (double) serverNanos / wallNanos;
    }

    double clientCores() {
        return (double) clientNanos / wallNanos;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its process CPU time");
    }

    /** Total and idle (plus I/O wait) jiffies of all CPUs, from the first line of {@code /proc/stat}. */
    private static Optional<long[]> machineTicks() {
        Path stat = Path.of("/proc/stat");
        if (!Files.isReadable(stat)) {
            return Optional.empty();
        }
        try {
            String first = Files.readAllLines(stat).getFirst();
            String[] fields = first.trim().split("\\s+");
            long total = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already inside user and nice]
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return Optional.of(new long[] {total, idle});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat, e);
        }
    }
}
