package dev.parley.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the entries (rows, keys, lines) a store reads and writes, so the store contract can check
 * that an operation costs the same at 10 and at 10 000 entries by counting rather than timing.
 */
public final class AccessCounter {
    private final AtomicLong entriesRead = new AtomicLong();
    private final AtomicLong entriesWritten = new AtomicLong();

    public void read(long n) {
        entriesRead.addAndGet(n);
    }

    public void wrote(long n) {
        entriesWritten.addAndGet(n);
    }

    public long entriesRead() {
        return entriesRead.get();
    }

    public long entriesWritten() {
        return entriesWritten.get();
    }

    /** Total entries touched so far. */
    public long touched() {
        return entriesRead.get() + entriesWritten.get();
    }
}
