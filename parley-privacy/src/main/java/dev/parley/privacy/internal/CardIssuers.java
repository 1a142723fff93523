package dev.parley.privacy.internal;

import java.util.List;

/** Issuer identification number ranges and the card lengths each issues (public scheme documentation). */
final class CardIssuers {
    /** Cards whose first {@code prefixDigits} digits lie in {@code [low, high]} and whose length is within [min, max]. */
    private record Range(int low, int high, int prefixDigits, int minLength, int maxLength) {
    }

    private static final List<Range> RANGES = List.of(
            new Range(4, 4, 1, 13, 13),              // Visa
            new Range(4, 4, 1, 16, 16),
            new Range(4, 4, 1, 19, 19),
            new Range(51, 55, 2, 16, 16),            // Mastercard
            new Range(2221, 2720, 4, 16, 16),        // Mastercard 2-series
            new Range(2200, 2204, 4, 16, 19),        // Mir
            new Range(34, 34, 2, 15, 15),            // American Express
            new Range(37, 37, 2, 15, 15),
            new Range(30, 30, 2, 14, 19),            // Diners Club (300-305, 3095) and JCB's legacy 30xx ranges
            new Range(36, 36, 2, 14, 19),
            new Range(38, 39, 2, 14, 19),
            new Range(3528, 3589, 4, 16, 19),        // JCB
            new Range(3100, 3102, 4, 16, 16),        // JCB legacy ranges
            new Range(3112, 3120, 4, 16, 16),
            new Range(3137, 3137, 4, 16, 16),
            new Range(3158, 3159, 4, 16, 16),
            new Range(3337, 3349, 4, 16, 16),
            new Range(6011, 6011, 4, 16, 19),        // Discover
            new Range(644, 649, 3, 16, 19),
            new Range(65, 65, 2, 16, 19),
            new Range(62, 62, 2, 16, 19),            // UnionPay
            new Range(81, 82, 2, 16, 19),
            new Range(50, 50, 2, 12, 19),            // Maestro, Dankort, Laser, Forbrugsforeningen and other debit
            new Range(56, 69, 2, 12, 19),
            new Range(1, 1, 1, 15, 15));             // UATP

    private CardIssuers() {
    }

    /** Whether some issuer issues cards of this length starting with these digits. */
    static boolean issues(String digits) {
        for (Range range : RANGES) {
            if (digits.length() >= range.minLength() && digits.length() <= range.maxLength()) {
                int prefix = Integer.parseInt(digits, 0, range.prefixDigits(), 10);
                if (prefix >= range.low() && prefix <= range.high()) {
                    return true;
                }
            }
        }
        return false;
    }
}
