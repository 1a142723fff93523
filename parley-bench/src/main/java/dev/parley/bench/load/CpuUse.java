package dev.parley.bench.load;

import dev.parley.bench.Machine;

import java.lang.management.ManagementFactory;

/**
 * Where the CPU went during a window: the server's process, this process (the load generator) and the whole machine,
 * so a report can say how much of the two cores each side took and how much was left idle. The client and the server
 * share the machine's cores; every figure of a load run has to be read with that in mind.
 *
 * @param serverNanos  CPU time of the server's process
 * @param serverJitNanos CPU time of the server's JIT compiler threads (part of {@code serverNanos}); -1 if unknown
 * @param clientNanos  CPU time of this process
 * @param machineBusy  fraction of all cores' time not idle (nor waiting for I/O), from {@code /proc/stat}; NaN where
 *                     the system does not have it
 * @param wallNanos    length of the window
 */
record CpuUse(long serverNanos, long serverJitNanos, long clientNanos, double machineBusy, long wallNanos) {

    /** A reading at one instant; two of them make a {@link CpuUse}. */
    record Mark(long server, long serverJit, long client, Machine.CpuTicks machine, long wall) {
        static Mark now(ServerProcess server) {
            return new Mark(server.cpuNanos(), server.jitCpuNanos(), processCpuNanos(), Machine.cpuTicks(), System.nanoTime());
        }

        CpuUse until(Mark end) {
            double busy = Double.NaN;
            if (machine != null && end.machine != null) {
                long total = end.machine.total() - machine.total();
                long idle = end.machine.idle() - machine.idle();
                busy = total <= 0 ? Double.NaN : 1.0 - (double) idle / total;
            }
            long jit = serverJit < 0 || end.serverJit < 0 ? -1 : end.serverJit - serverJit;
            return new CpuUse(end.server - server, jit, end.client - client, busy, end.wall - wall);
        }
    }

    /** Cores' worth of CPU the server used on average over the window (2.0 = both cores of a 2-core machine). */
    double serverCores() {
        return (double) serverNanos / wallNanos;
    }

    /** Cores' worth of CPU the server's JIT compiler used; NaN if unknown. */
    double serverJitCores() {
        return serverJitNanos < 0 ? Double.NaN : (double) serverJitNanos / wallNanos;
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
}
