package dev.parley.privacy;

/**
 * A text that counts how often it is read: every {@code charAt}, and the length of every copy made with
 * {@code toString}. Views from {@code subSequence} share the count, so work a library does on a window is counted too.
 * Reads are a machine-independent measure of work, so tests can show linear time without timing anything.
 */
final class CountingText implements CharSequence {
    private final CharSequence base;
    private final int offset;
    private final int length;
    private final long[] reads;

    CountingText(CharSequence base) {
        this(base, 0, base.length(), new long[1]);
    }

    private CountingText(CharSequence base, int offset, int length, long[] reads) {
        this.base = base;
        this.offset = offset;
        this.length = length;
        this.reads = reads;
    }

    long reads() {
        return reads[0];
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        reads[0]++;
        return base.charAt(offset + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + length);
        }
        reads[0]++;
        return new CountingText(base, offset + start, end - start, reads);
    }

    @Override
    public String toString() {
        reads[0] += length;
        return base.subSequence(offset, offset + length).toString();
    }
}
