package dev.parley.bench.postgres;

import dev.parley.bench.Machine;

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
        return ticks * Machine.NANOS_PER_TICK;
    }

    int processes() {
        return ticksByPid.size();
    }

    /**
     * The process's CPU ticks from its stat line. A process whose command is not {@code postgres} is not the server's: a
     * server in a container reports pids of its own namespace.
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
        return Optional.of(Machine.cpuTicksOfStatLine(line));
    }
}
