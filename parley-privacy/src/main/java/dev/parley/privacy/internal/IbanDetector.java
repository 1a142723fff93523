package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;
import org.apache.commons.validator.routines.IBANValidator;
import org.apache.commons.validator.routines.checkdigit.IBANCheckDigit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * IBANs: a country code, two check digits, then the account part, compact or in groups separated by single spaces,
 * in upper or lower case. For the countries of the IBAN registry (commons-validator's table) the length must be the
 * country's and the whole must match the country's format and pass the mod-97 check. Other ISO countries also issue
 * IBAN-style numbers (several African countries, Iran); for them the length must be 15 to 34, the groups regular,
 * and mod-97 must pass; such findings score a little lower. A start reads at most ~45 characters.
 */
public final class IbanDetector implements Detector {
    private static final IBANValidator IBANS = IBANValidator.getInstance();
    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
    private static final int MIN_LENGTH = 15;
    private static final int MAX_LENGTH = 34;
    private static final double REGISTERED = 1.0;
    private static final double UNREGISTERED = 0.9;

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i + 4 <= n) {
            Finding finding = Chars.isAsciiLetter(text.charAt(i)) && Chars.wordStartsAt(text, i) ? ibanAt(text, i) : null;
            if (finding != null) {
                out.add(finding);
                i = finding.end();
            } else {
                i++;
            }
        }
        return out;
    }

    @Override
    public String normalise(String type, String value) {
        return EntityType.IBAN.equals(type) ? Chars.upperAlnum(value, 0, value.length()) : value;
    }

    private static Finding ibanAt(CharSequence text, int start) {
        char first = text.charAt(start);
        char second = text.charAt(start + 1);
        if (!Chars.isAsciiLetter(second) || Character.isUpperCase(second) != Character.isUpperCase(first)
                || !Chars.isAsciiDigit(text.charAt(start + 2)) || !Chars.isAsciiDigit(text.charAt(start + 3))) {
            return null;
        }
        String country = ("" + first + second).toUpperCase(Locale.ROOT);
        IBANValidator.Validator validator = IBANS.getValidator(country);
        if (validator != null) {
            int end = registeredEnd(text, start, validator.getIbanLength());
            return end > 0 ? new Finding(EntityType.IBAN, start, end, REGISTERED) : null;
        }
        if (ISO_COUNTRIES.contains(country)) {
            int end = unregisteredEnd(text, start);
            return end > 0 ? new Finding(EntityType.IBAN, start, end, UNREGISTERED) : null;
        }
        return null;
    }

    /** End of an IBAN of exactly {@code length} characters (blanks not counted) valid for its registered country, or -1. */
    private static int registeredEnd(CharSequence text, int start, int length) {
        StringBuilder compact = new StringBuilder(length);
        int n = text.length();
        int i = start;
        while (compact.length() < length && i < n) {
            char c = text.charAt(i);
            if (Chars.isAsciiAlnum(c)) {
                compact.append(Character.toUpperCase(c));
                i++;
            } else if (c == ' ' && i > start && text.charAt(i - 1) != ' ' && i + 1 < n && Chars.isAsciiAlnum(text.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (compact.length() != length || !Chars.wordEndsAt(text, i) || !IBANS.isValid(compact.toString())) {
            return -1;
        }
        return i;
    }

    /**
     * End of an IBAN-style number of a country outside the registry, or -1: either one compact word of 15 to 34
     * characters, or groups of four separated by single blanks (the last group may be shorter), passing mod-97. When
     * the groups run on into a four-letter word, the longest prefix of groups that passes wins.
     */
    private static int unregisteredEnd(CharSequence text, int start) {
        int n = text.length();
        int wordEnd = start;
        while (wordEnd < n && Chars.isAsciiAlnum(text.charAt(wordEnd)) && wordEnd - start <= MAX_LENGTH) {
            wordEnd++;
        }
        if (wordEnd - start > 4) {
            boolean compact = wordEnd - start >= MIN_LENGTH && wordEnd - start <= MAX_LENGTH && Chars.wordEndsAt(text, wordEnd);
            return compact && passesMod97(text, start, wordEnd) ? wordEnd : -1;
        }
        List<Integer> ends = new ArrayList<>();
        int i = wordEnd;
        int length = 4;
        while (i + 1 < n && text.charAt(i) == ' ' && Chars.isAsciiAlnum(text.charAt(i + 1)) && length < MAX_LENGTH) {
            int groupEnd = i + 1;
            while (groupEnd < n && Chars.isAsciiAlnum(text.charAt(groupEnd)) && groupEnd - i - 1 <= 4) {
                groupEnd++;
            }
            int group = groupEnd - i - 1;
            if (group > 4 || !Chars.wordEndsAt(text, groupEnd)) {
                break;
            }
            length += group;
            ends.add(groupEnd);
            if (group < 4) {
                break;
            }
            i = groupEnd;
        }
        for (int k = ends.size() - 1; k >= 0; k--) {
            int end = ends.get(k);
            int compactLength = 4 + 4 * k + (end - (k == 0 ? wordEnd + 1 : ends.get(k - 1) + 1));
            if (compactLength >= MIN_LENGTH && compactLength <= MAX_LENGTH && passesMod97(text, start, end)) {
                return end;
            }
        }
        return -1;
    }

    private static boolean passesMod97(CharSequence text, int start, int end) {
        return IBANCheckDigit.IBAN_CHECK_DIGIT.isValid(Chars.upperAlnum(text, start, end));
    }
}
