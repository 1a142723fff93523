package dev.parley.privacy.internal;

import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.List;

/**
 * PEM private-key blocks, {@code -----BEGIN … PRIVATE KEY-----} through the matching {@code -----END …-----} line
 * (also inside JSON strings, where the line breaks are {@code \n} escapes). A block whose END was cut off runs to the
 * end of the base64 lines that follow the BEGIN line. The search for END moves only forward within one scan, so many
 * BEGIN lines without an END cost linear time, not quadratic.
 */
final class PemBlockRule implements SecretRule {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final int MAX_LABEL = 64;

    @Override
    public List<String> keywords() {
        return List.of("-----begin ");
    }

    @Override
    public Matcher matcher(CharSequence text) {
        return new Matcher() {
            private int knownEnd = -2;

            @Override
            public Finding at(int at, String keyword) {
                int labelEnd = privateKeyLabelEnd(text, at);
                if (labelEnd < 0) {
                    return null;
                }
                if (knownEnd != -1 && knownEnd < labelEnd) {
                    knownEnd = Chars.indexOf(text, END, labelEnd);
                }
                int end = knownEnd >= 0 ? endLineEnd(text, knownEnd) : base64LinesEnd(text, labelEnd);
                return new Finding(EntityType.SECRET, at, end, 1.0);
            }
        };
    }

    /** End of {@code -----BEGIN <label> PRIVATE KEY[ BLOCK]-----} at {@code at}, or -1. */
    private static int privateKeyLabelEnd(CharSequence text, int at) {
        if (!Chars.regionMatches(text, at, BEGIN)) {
            return -1;
        }
        int i = at + BEGIN.length();
        int labelStart = i;
        while (i < text.length() && isLabelChar(text.charAt(i)) && i - labelStart <= MAX_LABEL) {
            i++;
        }
        String label = text.subSequence(labelStart, i).toString();
        if (!(label.endsWith("PRIVATE KEY") || label.endsWith("PRIVATE KEY BLOCK")) || !Chars.regionMatches(text, i, DASHES)) {
            return -1;
        }
        return i + DASHES.length();
    }

    private static int endLineEnd(CharSequence text, int endAt) {
        int i = endAt + END.length();
        int labelStart = i;
        while (i < text.length() && isLabelChar(text.charAt(i)) && i - labelStart <= MAX_LABEL) {
            i++;
        }
        return Chars.regionMatches(text, i, DASHES) ? i + DASHES.length() : i;
    }

    /** End of the lines of base64 that follow the BEGIN line (whole lines only, so prose after the key is left alone). */
    private static int base64LinesEnd(CharSequence text, int from) {
        int n = text.length();
        int end = from;
        int i = from;
        while (i < n && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
            i++;
        }
        while (i < n) {
            int lineStart = i;
            while (i < n && isBase64(text.charAt(i))) {
                i++;
            }
            boolean lineEnds = i == n || text.charAt(i) == '\n' || text.charAt(i) == '\r';
            if (i == lineStart || !lineEnds) {
                break;
            }
            end = i;
            while (i < n && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
                i++;
            }
        }
        return end;
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
    }

    private static boolean isBase64(char c) {
        return Chars.isAsciiAlnum(c) || c == '+' || c == '/' || c == '=';
    }
}
