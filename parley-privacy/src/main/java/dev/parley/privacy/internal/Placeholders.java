package dev.parley.privacy.internal;

/**
 * The shape of placeholders, {@code <[A-Z][A-Z0-9_]*_[0-9]+>}, recognised by hand so that scanning is one linear pass
 * with no regular expression. A placeholder contains no {@code <}, so two never overlap and one inserted by the
 * sanitiser is always read back as exactly itself, whatever text surrounds it.
 */
public final class Placeholders {
    private Placeholders() {
    }

    public static String format(String type, long index) {
        return "<" + type + "_" + index + ">";
    }

    /** Whether {@code c} may appear between the brackets of a placeholder. */
    public static boolean isBodyChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * The end (exclusive) of the placeholder-shaped text starting at {@code start}, which must hold {@code <}, or -1
     * when none starts there. Looks at most up to the first character that cannot belong to one.
     */
    public static int endOfPlaceholderAt(CharSequence text, int start) {
        int n = text.length();
        int i = start + 1;
        if (i >= n || text.charAt(i) < 'A' || text.charAt(i) > 'Z') {
            return -1;
        }
        while (i < n && isBodyChar(text.charAt(i))) {
            i++;
        }
        if (i >= n || text.charAt(i) != '>') {
            return -1;
        }
        int digitsStart = i;
        while (digitsStart > start + 1 && text.charAt(digitsStart - 1) >= '0' && text.charAt(digitsStart - 1) <= '9') {
            digitsStart--;
        }
        boolean hasDigits = digitsStart < i;
        boolean underscoreBeforeDigits = digitsStart - 1 > start + 1 && text.charAt(digitsStart - 1) == '_';
        return hasDigits && underscoreBeforeDigits ? i + 1 : -1;
    }

    /** Whether all of {@code text} is one placeholder-shaped text. */
    public static boolean isPlaceholder(CharSequence text) {
        return !text.isEmpty() && text.charAt(0) == '<' && endOfPlaceholderAt(text, 0) == text.length();
    }

    /**
     * Whether {@code text[from, to)} could still grow into a placeholder: {@code <} followed by an upper-case letter and
     * body characters, or {@code <} alone.
     */
    public static boolean couldBecomePlaceholder(CharSequence text, int from, int to) {
        if (from >= to || text.charAt(from) != '<') {
            return false;
        }
        if (from + 1 < to && (text.charAt(from + 1) < 'A' || text.charAt(from + 1) > 'Z')) {
            return false;
        }
        for (int i = from + 2; i < to; i++) {
            if (!isBodyChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The {@code n} of a placeholder-shaped {@code <TYPE_n>}, or -1 when it does not fit in a long. */
    public static long indexOf(String placeholder) {
        int close = placeholder.length() - 1;
        int digits = placeholder.lastIndexOf('_', close) + 1;
        if (digits <= 0 || close - digits > 18) {
            return -1;
        }
        return Long.parseLong(placeholder, digits, close, 10);
    }

    /** The {@code TYPE} of a placeholder-shaped {@code <TYPE_n>}. */
    public static String typeOf(String placeholder) {
        return placeholder.substring(1, placeholder.lastIndexOf('_'));
    }
}
