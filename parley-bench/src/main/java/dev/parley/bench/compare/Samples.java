package dev.parley.bench.compare;

import java.util.Arrays;

/** Latencies of one operation in one cell, in nanoseconds; percentiles by nearest rank. */
final class Samples {
    private long[] nanos = new long[64];
    private int size;

    void add(long elapsedNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = elapsedNanos;
    }

    int count() {
        return size;
    }

    double medianMillis() {
        return percentileMillis(0.50);
    }

    double p99Millis() {
        return percentileMillis(0.99);
    }

    /** The smallest sample at least {@code fraction} of the samples are at or below, in milliseconds. */
    double percentileMillis(double fraction) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
