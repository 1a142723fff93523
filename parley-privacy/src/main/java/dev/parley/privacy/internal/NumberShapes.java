package dev.parley.privacy.internal;

/** Shapes of digit groups that look like phone numbers but are something else (dates, UUIDs). */
final class NumberShapes {
    private NumberShapes() {
    }

    /**
     * Whether {@code text[start, end)} begins with a date: three digit groups joined by one repeated separator
     * ({@code -}, {@code /} or {@code .}) shaped year-month-day or day-month-year / month-day-year with plausible values,
     * and not continued by a fourth group with the same separator (that is a phone number such as 06.12.34.56.78).
     */
    static boolean startsWithDate(CharSequence text, int start, int end) {
        int[] groups = new int[3];
        int[] lengths = new int[3];
        char separator = 0;
        int i = start;
        for (int g = 0; g < 3; g++) {
            int value = 0;
            int from = i;
            while (i < end && Chars.isAsciiDigit(text.charAt(i)) && i - from < 4) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            lengths[g] = i - from;
            groups[g] = value;
            if (lengths[g] == 0 || (i < end && Chars.isAsciiDigit(text.charAt(i)))) {
                return false;
            }
            if (g < 2) {
                if (i >= end) {
                    return false;
                }
                char c = text.charAt(i);
                if ((c != '-' && c != '/' && c != '.') || (separator != 0 && c != separator)) {
                    return false;
                }
                separator = c;
                i++;
            }
        }
        if (i < end && text.charAt(i) == separator) {
            return false;
        }
        if (lengths[0] == 4) {
            return lengths[1] <= 2 && lengths[2] <= 2 && isMonth(groups[1]) && isDay(groups[2]);
        }
        boolean yearLast = lengths[2] == 2 || lengths[2] == 4;
        return yearLast && lengths[0] <= 2 && lengths[1] <= 2 && isDay(groups[0]) && isDay(groups[1])
                && (isMonth(groups[0]) || isMonth(groups[1]));
    }

    /** Whether {@code text[start, end)} is digit groups of lengths 8-4-4-4-12 joined by hyphens, a UUID of digits only. */
    static boolean isUuidShaped(CharSequence text, int start, int end) {
        int[] expected = {8, 4, 4, 4, 12};
        int i = start;
        for (int g = 0; g < expected.length; g++) {
            int from = i;
            while (i < end && Chars.isAsciiDigit(text.charAt(i))) {
                i++;
            }
            if (i - from != expected[g]) {
                return false;
            }
            if (g < expected.length - 1) {
                if (i >= end || text.charAt(i) != '-') {
                    return false;
                }
                i++;
            }
        }
        return i == end;
    }

    /** Whether {@code text[start, end)} is four dot-separated groups of one to three digits, an IPv4-like quad. */
    static boolean isDottedQuad(CharSequence text, int start, int end) {
        int groups = 0;
        int i = start;
        while (i < end) {
            int from = i;
            while (i < end && Chars.isAsciiDigit(text.charAt(i))) {
                i++;
            }
            if (i - from < 1 || i - from > 3) {
                return false;
            }
            groups++;
            if (i < end) {
                if (text.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return groups == 4;
    }

    private static boolean isMonth(int value) {
        return value >= 1 && value <= 12;
    }

    private static boolean isDay(int value) {
        return value >= 1 && value <= 31;
    }
}
