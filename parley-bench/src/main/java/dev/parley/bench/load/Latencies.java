package dev.parley.bench.load;

import java.util.Arrays;
import java.util.Collection;

/**
 * Request latencies in nanoseconds; percentiles by nearest rank. One per client while it runs (no sharing, no locks),
 * merged afterwards. Public because the PostgreSQL suite records its appends with it too.
 */
public final class Latencies {
    private long[] nanos = new long[1024];
    private int size;
    private long[] sorted;

    public void add(long elapsedNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = elapsedNanos;
        sorted = null;
    }

    public static Latencies merge(Collection<Latencies> parts) {
        Latencies all = new Latencies();
        int total = parts.stream().mapToInt(p -> p.size).sum();
        all.nanos = new long[Math.max(1, total)];
        for (Latencies part : parts) {
            System.arraycopy(part.nanos, 0, all.nanos, all.size, part.size);
            all.size += part.size;
        }
        return all;
    }

    public int count() {
        return size;
    }

    /** The smallest sample at least {@code fraction} of the samples are at or below, in milliseconds; NaN when empty. */
    public double percentileMillis(double fraction) {
        if (size == 0) {
            return Double.NaN;
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
        }
        int rank = (int) Math.ceil(fraction * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    public double maxMillis() {
        return percentileMillis(1.0);
    }
}
