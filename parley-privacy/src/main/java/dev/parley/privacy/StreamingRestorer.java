package dev.parley.privacy;

import dev.parley.privacy.internal.Placeholders;

import java.util.Objects;

/**
 * Restores a reply that arrives in chunks, such as a streamed model response, where a placeholder may be split across
 * chunks ({@code "<EMA"}, {@code "IL_1> wrote"}). Each {@link #feed} returns at once everything that can no longer be
 * part of a placeholder, restored; it holds back only a tail that could still become one, which is shorter than the
 * longest placeholder the book has issued. {@link #finish} returns that tail.
 *
 * <p>The concatenation of everything returned equals {@link Restorer#restore} of the concatenated chunks. Not
 * thread-safe: one restorer per stream (per choice, per content block).
 *
 * <pre>{@code
 * StreamingRestorer restorer = new StreamingRestorer(book);
 * for (String chunk : chunks) {
 *     show(restorer.feed(chunk));
 * }
 * show(restorer.finish());
 * }</pre>
 */
public final class StreamingRestorer {
    private final PlaceholderBook book;
    private final StringBuilder pending = new StringBuilder();
    private boolean finished;

    public StreamingRestorer(PlaceholderBook book) {
        this.book = Objects.requireNonNull(book, "book");
    }

    /** Adds the next chunk; returns the restored text that is now certain, possibly empty. */
    public String feed(CharSequence chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (finished) {
            throw new IllegalStateException("this StreamingRestorer has finished; start a new one for another stream");
        }
        pending.append(chunk);
        int cut = certainEnd();
        StringBuilder out = new StringBuilder(cut + 16);
        Restorer.restoreInto(pending, 0, cut, book, out);
        pending.delete(0, cut);
        return out.toString();
    }

    /** Ends the stream and returns whatever was held back, restored. */
    public String finish() {
        if (finished) {
            throw new IllegalStateException("this StreamingRestorer has already finished");
        }
        finished = true;
        String rest = Restorer.restore(pending, book);
        pending.setLength(0);
        return rest;
    }

    /** How many characters are held back right now. */
    public int heldBack() {
        return pending.length();
    }

    /**
     * Where the text that may still change ends: the last {@code <}, when what follows it could still grow into a
     * placeholder short enough to have been issued. No earlier {@code <} can start one, because a placeholder
     * never contains {@code <}.
     */
    private int certainEnd() {
        int n = pending.length();
        int lt = pending.lastIndexOf("<");
        if (lt < 0 || n - lt >= book.longestPlaceholderLength()) {
            return n;
        }
        return Placeholders.couldBecomePlaceholder(pending, lt, n) ? lt : n;
    }
}
