package dev.parley.privacy;

import dev.parley.privacy.internal.Placeholders;

import java.util.Objects;
import java.util.Optional;

/**
 * Puts the originals back in place of the placeholders a {@link PlaceholderBook} issued, in one pass over the text.
 *
 * <p>One pass, never a chain of replaces: a restored value is copied to the output and never scanned again, so an
 * original that itself looks like a placeholder stays as it was. Placeholder-shaped text that the book did not issue
 * ({@code <PERSON_99>}, or a literal the user wrote) is copied unchanged. For a reply that arrives in chunks use
 * {@link StreamingRestorer}.
 */
public final class Restorer {
    private Restorer() {
    }

    /** {@code text} with every placeholder issued by {@code book} replaced by its original. */
    public static String restore(CharSequence text, PlaceholderBook book) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(book, "book");
        StringBuilder out = new StringBuilder(text.length());
        restoreInto(text, 0, text.length(), book, out);
        return out.toString();
    }

    /** Appends the restored {@code text[from, to)} to {@code out}; a placeholder must not cross {@code to}. */
    static void restoreInto(CharSequence text, int from, int to, PlaceholderBook book, StringBuilder out) {
        CharSequence region = text.subSequence(from, to);
        int n = region.length();
        int copied = 0;
        int i = 0;
        while (i < n) {
            if (region.charAt(i) != '<') {
                i++;
                continue;
            }
            int end = Placeholders.endOfPlaceholderAt(region, i);
            if (end < 0) {
                i++;
                continue;
            }
            Optional<String> original = book.originalOf(region.subSequence(i, end).toString());
            if (original.isPresent()) {
                out.append(region, copied, i).append(original.get());
                copied = end;
            }
            i = end;
        }
        out.append(region, copied, n);
    }
}
