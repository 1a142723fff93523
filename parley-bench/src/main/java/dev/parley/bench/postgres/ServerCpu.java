package dev.parley.bench.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * User + system CPU time of some of the PostgreSQL server's processes at one instant, read from {@code /proc/PID/stat}
 * (so only for a server on this machine). Two readings of the same processes give the CPU they used in between.
 *
 * @param ticksByPid clock ticks used so far by each process that could be read
 */
record ServerCpu(Map<Long, Long> ticksByPid) {
    /** {@code /proc} counts in clock ticks of USER_HZ, 100 per second on every Linux kernel the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    ServerCpu {
        ticksByPid = Map.copyOf(ticksByPid);
    }

    static ServerCpu read(Collection<Long> pids) throws IOException {
        Map<Long, Long> ticks = new HashMap<>();
        for (long pid : pids) {
            ticks(pid).ifPresent(t -> ticks.put(pid, t));
        }
        return new ServerCpu(ticks);
    }

    /** A later reading of the same processes; one that ended in between is left out (its last ticks are gone with it). */
    ServerCpu again() throws IOException {
        return read(ticksByPid.keySet());
    }

    /** The CPU time the processes of both readings used from this one to {@code end}. */
    long nanosUntil(ServerCpu end) {
        long ticks = 0;
        for (Map.Entry<Long, Long> e : end.ticksByPid.entrySet()) {
            Long start = ticksByPid.get(e.getKey());
            if (start != null) {
                ticks += e.getValue() - start;
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    int processes() {
        return ticksByPid.size();
    }

    /**
     * Fields 14 and 15 of the stat line (utime, stime), counted after the command name, which may hold spaces. A process
     * whose command is not {@code postgres} is not the server's: a server in a container reports pids of its own namespace.
     */
    private static Optional<Long> ticks(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isReadable(stat)) {
            return Optional.empty();
        }
        String line;
        try {
            line = Files.readString(stat);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!line.contains(" (postgres) ")) {
            return Optional.empty();
        }
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }
}
