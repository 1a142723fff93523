package dev.parley.privacy.internal;

/** Character classes and small scans shared by the detectors; all work on any {@link CharSequence} without copying it. */
final class Chars {
    private Chars() {
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAsciiAlnum(char c) {
        return isAsciiDigit(c) || isAsciiLetter(c);
    }

    /** Letters, digits (any script) and underscore: what makes a match part of a longer word. */
    static boolean isWordChar(char c) {
        if (c < 128) {
            return isAsciiAlnum(c) || c == '_';
        }
        return Character.isLetterOrDigit(c);
    }

    static boolean isDigit(char c) {
        return isAsciiDigit(c) || (c >= 128 && Character.isDigit(c));
    }

    /** Whether the character before {@code index} does not continue a word (or there is none). */
    static boolean wordStartsAt(CharSequence text, int index) {
        return index == 0 || !isWordChar(text.charAt(index - 1));
    }

    /** Whether the character at {@code index} does not continue a word (or there is none). */
    static boolean wordEndsAt(CharSequence text, int index) {
        return index >= text.length() || !isWordChar(text.charAt(index));
    }

    /**
     * Whether a number starting at {@code index} stands alone on its left: no word character before it, and no
     * {@code .}, {@code ,} or {@code -} glued to a digit (which would make it the tail of a longer number).
     */
    static boolean numberStartsAt(CharSequence text, int index) {
        if (!wordStartsAt(text, index)) {
            return false;
        }
        if (index >= 2) {
            char before = text.charAt(index - 1);
            return !((before == '.' || before == ',' || before == '-') && isAsciiDigit(text.charAt(index - 2)));
        }
        return true;
    }

    /** The mirror of {@link #numberStartsAt} on the right: a sentence-ending dot is fine, a decimal part is not. */
    static boolean numberEndsAt(CharSequence text, int index) {
        if (!wordEndsAt(text, index)) {
            return false;
        }
        if (index + 1 < text.length()) {
            char after = text.charAt(index);
            return !((after == '.' || after == ',' || after == '-') && isAsciiDigit(text.charAt(index + 1)));
        }
        return true;
    }

    static boolean regionMatches(CharSequence text, int at, String literal) {
        if (at < 0 || at + literal.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (text.charAt(at + i) != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code literal} at or after {@code from}, or -1. Literals here are short, so the naive scan is linear. */
    static int indexOf(CharSequence text, String literal, int from) {
        char first = literal.charAt(0);
        int last = text.length() - literal.length();
        for (int i = Math.max(0, from); i <= last; i++) {
            if (text.charAt(i) == first && regionMatches(text, i, literal)) {
                return i;
            }
        }
        return -1;
    }

    static String upperAlnum(CharSequence text, int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isAsciiAlnum(c)) {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /** The decimal digits of {@code text[start, end)}, in any script, as ASCII digits. */
    static String digits(CharSequence text, int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                sb.append((char) ('0' + Character.digit(c, 10)));
            }
        }
        return sb.toString();
    }
}
