package dev.parley.privacy.internal;

import java.util.Locale;
import java.util.Set;

/**
 * A set of words whose presence just before a candidate changes how sure a detector is ("tel", "ssn"; or "order",
 * "invoice" for numbers that are not phone numbers). Looks back a bounded number of characters on the same line, so
 * the cost per candidate is constant.
 */
final class ContextWords {
    private final Set<String> words;

    ContextWords(String... words) {
        this.words = Set.of(words);
    }

    /**
     * Whether one of the last {@code maxWords} words before {@code position} is one of the words, with no digit in
     * between: the word is about this number, not about an earlier one ("version 1.2 and 555-0100").
     */
    boolean rightBefore(CharSequence text, int position, int maxWords) {
        int i = position;
        int words = 0;
        int limit = Math.max(0, position - 64);
        while (i > limit && words < maxWords) {
            char c = text.charAt(i - 1);
            if (c == '\n' || c == '\r' || Character.isDigit(c)) {
                return false;
            }
            if (!Character.isLetter(c)) {
                i--;
                continue;
            }
            int end = i;
            while (i > limit && Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            words++;
            if (end - i <= 32 && this.words.contains(text.subSequence(i, end).toString().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the words lies wholly within the {@code window} characters before {@code position}, on its line. */
    boolean before(CharSequence text, int position, int window) {
        int limit = Math.max(0, position - window);
        int i = position;
        while (i > limit) {
            char c = text.charAt(i - 1);
            if (c == '\n' || c == '\r') {
                return false;
            }
            if (!Character.isLetter(c)) {
                i--;
                continue;
            }
            int end = i;
            while (i > limit && Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            boolean cut = i == limit && i > 0 && Character.isLetter(text.charAt(i - 1));
            if (!cut && end - i <= 32 && words.contains(text.subSequence(i, end).toString().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
