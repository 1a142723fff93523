package dev.parley.bench.privacy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * How many bytes of text per second one core gets through: the work is run over every text of the corpus, one text at a
 * time as the sanitiser sees messages, on this thread, and timed by this thread's CPU time, so other processes on the
 * machine take nothing away from the figure (they do share caches and memory bandwidth). Warm-up passes first, then
 * passes until at least the measuring budget of CPU time is spent.
 *
 * @param bytes      UTF-8 bytes processed in the timed passes
 * @param cpuNanos   this thread's CPU time for them
 * @param passes     timed passes over the corpus
 */
record Throughput(long bytes, long cpuNanos, int passes) {

    double megabytesPerSecond() {
        return bytes / 1e6 / (cpuNanos / 1e9);
    }

    static Throughput measure(List<String> texts, long utf8Bytes, ToIntFunction<String> work, double warmupSeconds, double measureSeconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's CPU time");
        }
        long warmupEnd = threads.getCurrentThreadCpuTime() + (long) (warmupSeconds * 1e9);
        do {
            pass(texts, work);
        } while (threads.getCurrentThreadCpuTime() < warmupEnd);
        long start = threads.getCurrentThreadCpuTime();
        int passes = 0;
        long used;
        do {
            pass(texts, work);
            passes++;
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < measureSeconds * 1e9);
        return new Throughput(utf8Bytes * passes, used, passes);
    }

    /** Where each pass leaves its result, so the JIT cannot prove the work unused and drop it. */
    private static volatile long sink;

    private static void pass(List<String> texts, ToIntFunction<String> work) {
        long total = 0;
        for (String text : texts) {
            total += work.applyAsInt(text);
        }
        sink += total;
    }
}
