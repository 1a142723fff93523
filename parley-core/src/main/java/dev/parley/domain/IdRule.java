package dev.parley.domain;

/**
 * The shape of an id or a name: a first character from one ASCII set, then up to {@code maxLength - 1} more from
 * another. Checked by table look-up, not a regular expression: ids are checked several times in every request (the
 * session id, the branch, the tenant), and the regex matcher took about 5% of the server's Java samples per append (JFR).
 */
final class IdRule {
    private final boolean[] first;
    private final boolean[] rest;
    private final int maxLength;

    /**
     * @param firstSet  the characters the value may start with, as characters and ranges ({@code "A-Za-z0-9"})
     * @param restSet   the characters that may follow; a '-' that ends a set stands for itself ({@code "A-Za-z0-9._-"})
     * @param maxLength the longest value allowed
     */
    IdRule(String firstSet, String restSet, int maxLength) {
        this.first = set(firstSet);
        this.rest = set(restSet);
        this.maxLength = maxLength;
    }

    boolean matches(String value) {
        int length = value.length();
        if (length == 0 || length > maxLength || !in(first, value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            if (!in(rest, value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean in(boolean[] set, char c) {
        return c < set.length && set[c];
    }

    private static boolean[] set(String spec) {
        boolean[] set = new boolean[128];
        for (int i = 0; i < spec.length(); i++) {
            char from = spec.charAt(i);
            if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                char to = spec.charAt(i + 2);
                for (char c = from; c <= to; c++) {
                    set[c] = true;
                }
                i += 2;
            } else {
                set[from] = true;
            }
        }
        return set;
    }
}
