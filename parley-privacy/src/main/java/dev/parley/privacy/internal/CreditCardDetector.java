package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;
import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

import java.util.ArrayList;
import java.util.List;

/**
 * Payment card numbers: 12 to 19 digits, written solid or in groups joined by one kind of separator (space or hyphen),
 * starting with a known issuer prefix for that length and passing the Luhn check; not right after another number or a
 * word like "tracking" or "order" that names a different kind of number. When a card is followed by more
 * digit groups (a CVV, an expiry) the longest prefix of groups that is a valid card wins. Each start collects at most
 * 19 digits, so the scan is linear.
 */
public final class CreditCardDetector implements Detector {
    private static final int MIN_DIGITS = 12;
    private static final int MAX_DIGITS = 19;
    private static final double SCORE = 1.0;
    private static final ContextWords NOT_CARD_WORDS = new ContextWords("order", "invoice", "tracking", "ref",
            "reference", "transaction", "txn", "isbn", "serial", "sku", "imei", "iccid", "parcel", "shipment");

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        int[] groupEnds = new int[MAX_DIGITS];
        int[] digitsAfter = new int[MAX_DIGITS];
        int i = 0;
        while (i < n) {
            if (!Chars.isAsciiDigit(text.charAt(i)) || !Chars.numberStartsAt(text, i) || continuesANumber(text, i)) {
                i++;
                continue;
            }
            int groups = 0;
            int total = 0;
            char separator = 0;
            int pos = i;
            int firstRunEnd = -1;
            while (true) {
                int runEnd = pos;
                while (runEnd < n && Chars.isAsciiDigit(text.charAt(runEnd))) {
                    runEnd++;
                }
                if (firstRunEnd < 0) {
                    firstRunEnd = runEnd;
                }
                if (total + runEnd - pos > MAX_DIGITS) {
                    break;
                }
                total += runEnd - pos;
                groupEnds[groups] = runEnd;
                digitsAfter[groups] = total;
                groups++;
                if (runEnd + 1 >= n || !Chars.isAsciiDigit(text.charAt(runEnd + 1))) {
                    break;
                }
                char c = text.charAt(runEnd);
                if ((c != ' ' && c != '-') || (separator != 0 && c != separator)) {
                    break;
                }
                separator = c;
                pos = runEnd + 1;
            }
            int found = longestCard(text, i, groups, groupEnds, digitsAfter);
            if (found > 0 && !NOT_CARD_WORDS.rightBefore(text, i, 3)) {
                out.add(new Finding(EntityType.CREDIT_CARD, i, found, SCORE));
                i = found;
            } else {
                i = firstRunEnd;
            }
        }
        return out;
    }

    @Override
    public String normalise(String type, String value) {
        return EntityType.CREDIT_CARD.equals(type) ? Chars.digits(value, 0, value.length()) : value;
    }

    /**
     * Whether the digits at {@code start} follow another number across one blank or a plus sign: then they are the
     * rest of a phone number ({@code +49 491 4229379761}) or a longer figure, not a card of their own.
     */
    private static boolean continuesANumber(CharSequence text, int start) {
        if (start >= 1 && text.charAt(start - 1) == '+') {
            return true;
        }
        return start >= 2 && text.charAt(start - 1) == ' ' && Chars.isAsciiDigit(text.charAt(start - 2));
    }

    /** End of the longest valid card made of the first k groups, or -1. */
    private static int longestCard(CharSequence text, int start, int groups, int[] groupEnds, int[] digitsAfter) {
        for (int k = groups - 1; k >= 0; k--) {
            int digitCount = digitsAfter[k];
            if (digitCount < MIN_DIGITS || !Chars.numberEndsAt(text, groupEnds[k])) {
                continue;
            }
            String digits = Chars.digits(text, start, groupEnds[k]);
            if (CardIssuers.issues(digits) && LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(digits)) {
                return groupEnds[k];
            }
        }
        return -1;
    }
}
