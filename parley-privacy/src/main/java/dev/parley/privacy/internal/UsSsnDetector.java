package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * US social security numbers, {@code AAA-GG-SSSS}. Numbers the SSA never issues are rejected: area 000, 666 or
 * 900-999, group 00, serial 0000. The hyphenated form is reported on its own; the spaced and the solid nine-digit
 * forms, which look like any other number, only after a word such as "SSN" or "social".
 */
public final class UsSsnDetector implements Detector {
    private static final double HYPHENATED = 0.85;
    private static final double WITH_CONTEXT = 0.95;
    private static final int CONTEXT_REACH = 40;
    private static final int[] SOLID_DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    private static final int[] SEPARATED_DIGITS = {0, 1, 2, 4, 5, 7, 8, 9, 10};
    private static final ContextWords SSN_WORDS = new ContextWords("ssn", "ssns", "social", "ss", "sozialversicherungsnummer");

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        for (int i = 0; i + 9 <= n; i++) {
            if (!Chars.isAsciiDigit(text.charAt(i)) || !Chars.numberStartsAt(text, i)) {
                continue;
            }
            char separator = text.charAt(i + 3);
            boolean solid = Chars.isAsciiDigit(separator);
            if (!solid && separator != '-' && separator != ' ') {
                continue;
            }
            int end = solid ? i + 9 : i + 11;
            if (end > n || !shaped(text, i, solid, separator) || !Chars.numberEndsAt(text, end) || !issuable(text, i, solid)) {
                continue;
            }
            boolean context = SSN_WORDS.before(text, i, CONTEXT_REACH);
            if (separator == '-' || context) {
                out.add(new Finding(EntityType.US_SSN, i, end, context ? WITH_CONTEXT : HYPHENATED));
                i = end - 1;
            }
        }
        return out;
    }

    @Override
    public String normalise(String type, String value) {
        return EntityType.US_SSN.equals(type) ? Chars.digits(value, 0, value.length()) : value;
    }

    private static boolean shaped(CharSequence text, int start, boolean solid, char separator) {
        for (int offset : solid ? SOLID_DIGITS : SEPARATED_DIGITS) {
            if (!Chars.isAsciiDigit(text.charAt(start + offset))) {
                return false;
            }
        }
        return solid || text.charAt(start + 6) == separator;
    }

    private static boolean issuable(CharSequence text, int start, boolean solid) {
        String digits = Chars.digits(text, start, start + (solid ? 9 : 11));
        int area = Integer.parseInt(digits, 0, 3, 10);
        int group = Integer.parseInt(digits, 3, 5, 10);
        int serial = Integer.parseInt(digits, 5, 9, 10);
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }
}
