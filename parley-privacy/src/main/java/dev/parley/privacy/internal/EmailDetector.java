package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;
import org.apache.commons.validator.routines.DomainValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * E-mail addresses. Prefilter: every {@code @}. From each, the local part is read leftwards (at most 64 characters) and
 * the domain rightwards (at most 253), so the cost per {@code @} is bounded and the scan is linear. The top-level
 * domain must be one IANA knows (commons-validator's list), which rejects {@code icon@2x.png} and {@code user@localhost}.
 */
public final class EmailDetector implements Detector {
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;
    private static final double SCORE = 0.95;
    private static final DomainValidator DOMAINS = DomainValidator.getInstance();

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        for (int at = 0; at < n; at++) {
            if (text.charAt(at) != '@') {
                continue;
            }
            int start = localStart(text, at);
            int end = domainEnd(text, at);
            if (start >= 0 && end >= 0) {
                out.add(new Finding(EntityType.EMAIL, start, end, SCORE));
                at = end - 1;
            }
        }
        return out;
    }

    @Override
    public String normalise(String type, String value) {
        return EntityType.EMAIL.equals(type) ? value.toLowerCase(Locale.ROOT) : value;
    }

    private static boolean isLocalChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
                || (c >= 128 && Character.isLetterOrDigit(c));
    }

    private static boolean isDomainChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '.' || c == '-' || (c >= 128 && Character.isLetterOrDigit(c));
    }

    /** Start of the local part ending at {@code at}, or -1 when there is no valid one. */
    private static int localStart(CharSequence text, int at) {
        int start = at;
        while (start > 0 && isLocalChar(text.charAt(start - 1))) {
            if (at - start >= MAX_LOCAL) {
                return -1;
            }
            start--;
        }
        while (start < at && (text.charAt(start) == '.' || text.charAt(start) == '-')) {
            start++;
        }
        if (start == at || text.charAt(at - 1) == '.') {
            return -1;
        }
        for (int i = start + 1; i < at; i++) {
            if (text.charAt(i) == '.' && text.charAt(i - 1) == '.') {
                return -1;
            }
        }
        return start;
    }

    /** End (exclusive) of a valid domain after {@code at}, or -1. */
    private static int domainEnd(CharSequence text, int at) {
        int n = text.length();
        int end = at + 1;
        while (end < n && isDomainChar(text.charAt(end))) {
            if (end - at > MAX_DOMAIN) {
                return -1;
            }
            end++;
        }
        while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
            end--;
        }
        int labelStart = at + 1;
        int labels = 0;
        for (int i = at + 1; i <= end; i++) {
            if (i == end || text.charAt(i) == '.') {
                if (!validLabel(text, labelStart, i)) {
                    return -1;
                }
                labels++;
                if (i < end) {
                    labelStart = i + 1;
                }
            }
        }
        if (labels < 2) {
            return -1;
        }
        String tld = text.subSequence(labelStart, end).toString();
        for (int i = 0; i < tld.length(); i++) {
            if (!Character.isLetter(tld.charAt(i))) {
                return -1;
            }
        }
        return tld.length() >= 2 && DOMAINS.isValidTld(tld) ? end : -1;
    }

    private static boolean validLabel(CharSequence text, int start, int end) {
        return end > start && end - start <= 63 && text.charAt(start) != '-' && text.charAt(end - 1) != '-';
    }
}
