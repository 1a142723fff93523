package dev.parley.domain;

import dev.parley.InvalidInputException;

import java.util.Locale;

/**
 * Text a message may hold: well-formed UTF-16. An unpaired surrogate (a JSON escape such as {@code \u005Cud800} with no
 * partner) has no UTF-8 form, so every store and every provider would get a {@code ?} in its place: the message read
 * back would not be the one written. It is refused where a message is made instead.
 */
public final class Unicode {
    private Unicode() {
    }

    /** Refuses {@code value} if it holds an unpaired surrogate, naming {@code field}; null passes (callers check that). */
    public static void requireWellFormed(String field, String value) {
        if (value == null) {
            return;
        }
        int at = unpairedSurrogate(value);
        if (at >= 0) {
            throw new InvalidInputException(field, field + " holds an unpaired surrogate (U+"
                    + Integer.toHexString(value.charAt(at)).toUpperCase(Locale.ROOT) + " at index " + at
                    + "): text must be valid Unicode");
        }
    }

    /**
     * {@code text} cut to at most {@code max} characters without splitting a surrogate pair (one character may go
     * with the cut). Text cut for a summary line or an error message must stay text a message can hold.
     */
    public static String prefix(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    /** {@code text} with each unpaired surrogate replaced by U+FFFD, the replacement character, as UTF-8 decoders mark what they cannot read. */
    public static String repaired(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** The index of the first unpaired surrogate in {@code text}, or -1. */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }
}
