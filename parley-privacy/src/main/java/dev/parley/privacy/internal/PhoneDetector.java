package dev.parley.privacy.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Phone numbers, found and validated by libphonenumber's matcher ({@code findNumbers}) for each configured region:
 * national forms of those regions, international forms of any country.
 *
 * <p>The matcher costs tens of microseconds a call, so it only sees short windows around runs of phone-like
 * characters (digits, spaces, {@code - . / ( ) +}) that hold at least six digits and survive cheap checks: not glued
 * to a word (hashes, hex ids), not a date, a UUID or a dotted quad, not after "order", "invoice" or {@code #} unless a
 * phone word is there too, and of a length that some region's numbers have (with that region's trunk prefix where it
 * is required). Runs too long to be one number are cut into overlapping windows, so every run costs time linear in
 * its length. Runs longer than 1,024 characters (a wall of digits and separators, not something a person writes
 * phone numbers in) are skipped: that bounds the matcher's work on hostile input to a small constant per character.
 *
 * <p>A number the matcher proves valid is reported. A number that is only possible (right length, unknown range) is
 * reported when a context word such as "phone", "tel" or "call" precedes it.
 */
public final class PhoneDetector implements Detector {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MIN_DIGITS = 6;
    private static final int MAX_SINGLE_NUMBER_DIGITS = 17;
    private static final int WINDOW = 96;
    private static final int STEP = 48;
    private static final int EXTENSION_REACH = 16;
    private static final int CONTEXT_REACH = 40;
    private static final int MAX_TRIES = 16;
    private static final int MAX_RUN = 1024;
    private static final double VALID_PLAIN_DIGITS = 0.5;
    private static final double VALID = 0.75;
    private static final double VALID_WITH_EVIDENCE = 0.9;
    private static final double POSSIBLE_WITH_CONTEXT = 0.6;
    private static final ContextWords PHONE_WORDS = new ContextWords("phone", "phones", "telephone", "tel", "ph", "mobile",
            "mob", "cell", "cellphone", "call", "called", "calling", "fax", "whatsapp", "signal", "sms", "text", "texting",
            "contact", "reach", "dial", "ring", "hotline", "landline", "telefon", "telefonnummer", "handy", "mobil",
            "rufnummer", "anrufen", "téléphone", "tél", "portable", "appeler", "appelez");
    private static final ContextWords NOT_PHONE_WORDS = new ContextWords("order", "orders", "invoice", "ref",
            "reference", "tracking", "account", "acct", "transaction", "txn", "isbn", "serial", "sku", "id", "case",
            "ticket", "po", "zip", "postcode", "version", "build", "iban", "card", "ssn", "customer", "bestellung",
            "rechnung", "kundennummer", "commande", "facture");

    private final List<PhoneRegion> regions;

    public PhoneDetector(List<String> regionCodes) {
        this.regions = regionCodes.stream().map(PhoneRegion::of).toList();
    }

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isRunStart(text.charAt(i))) {
                i++;
                continue;
            }
            int runStart = i;
            int digits = 0;
            int runEnd = i;
            while (i < n && isRunChar(text.charAt(i))) {
                if (Chars.isDigit(text.charAt(i))) {
                    digits++;
                    runEnd = i + 1;
                }
                i++;
            }
            if (digits >= MIN_DIGITS && runEnd - runStart <= MAX_RUN && !gluedToAWord(text, runStart, runEnd)) {
                scanRun(text, runStart, runEnd, digits, out);
            }
        }
        return Findings.resolve(out);
    }

    @Override
    public String normalise(String type, String value) {
        if (!EntityType.PHONE.equals(type)) {
            return value;
        }
        Optional<PhoneNumber> possible = Optional.empty();
        for (PhoneRegion region : regions) {
            Optional<PhoneNumber> parsed = parse(value, region.code());
            if (parsed.isPresent() && UTIL.isValidNumber(parsed.get())) {
                return e164(parsed.get());
            }
            if (possible.isEmpty() && parsed.isPresent() && UTIL.isPossibleNumber(parsed.get())) {
                possible = parsed;
            }
        }
        return possible.map(PhoneDetector::e164).orElseGet(() -> Chars.digits(value, 0, value.length()));
    }

    private void scanRun(CharSequence text, int start, int end, int digitCount, List<Finding> out) {
        if (NumberShapes.startsWithDate(text, start, end) || NumberShapes.isUuidShaped(text, start, end)
                || NumberShapes.isDottedQuad(text, start, end)) {
            return;
        }
        boolean context = PHONE_WORDS.before(text, start, CONTEXT_REACH);
        if (!context && (NOT_PHONE_WORDS.rightBefore(text, start, 3) || hashBefore(text, start))) {
            return;
        }
        char first = text.charAt(start);
        // An international number reads the same from every region; a national one only from regions it fits.
        List<String> validRegions;
        List<String> possibleRegions;
        if (digitCount > MAX_SINGLE_NUMBER_DIGITS) {
            validRegions = regions.stream().map(PhoneRegion::code).toList();
            possibleRegions = validRegions;
        } else if (first == '+' || first == '\uFF0B') {
            validRegions = List.of(regions.getFirst().code());
            possibleRegions = validRegions;
        } else {
            String digits = Chars.digits(text, start, end);
            validRegions = regions.stream().filter(r -> r.couldBeValid(digits)).map(PhoneRegion::code).toList();
            possibleRegions = regions.stream().filter(r -> r.couldBePossible(digits)).map(PhoneRegion::code).toList();
        }
        if (end - start <= WINDOW) {
            scanWindow(text, start, end, start, end, true, context, validRegions, possibleRegions, out);
            return;
        }
        for (int from = start; from < end; from += STEP) {
            int to = Math.min(end, from + WINDOW);
            scanWindow(text, from, to, from, Math.min(end, from + STEP), to == end, context, validRegions,
                    possibleRegions, out);
            if (to == end) {
                break;
            }
        }
    }

    /** Matches in {@code text[from, to)} (plus room for an extension) that start within {@code [keepFrom, keepTo)}. */
    private static void scanWindow(CharSequence text, int from, int to, int keepFrom, int keepTo, boolean lastWindow,
                                   boolean context, List<String> validRegions, List<String> possibleRegions,
                                   List<Finding> out) {
        int windowStart = Math.max(0, from - 1);
        int windowEnd = lastWindow ? extensionEnd(text, to) : to;
        CharSequence window = text.subSequence(windowStart, windowEnd);
        boolean found = false;
        for (String region : validRegions) {
            for (PhoneNumberMatch match : UTIL.findNumbers(window, region, PhoneNumberUtil.Leniency.VALID, MAX_TRIES)) {
                int start = trimmedStart(text, windowStart + match.start(), windowStart + match.end());
                int end = trimmedEnd(text, start, windowStart + match.end());
                if (start >= keepFrom && start < keepTo && plausible(text, start, end)) {
                    out.add(new Finding(EntityType.PHONE, start, end, validScore(text, start, end, context)));
                    found = true;
                }
            }
        }
        if (found || !context) {
            return;
        }
        for (String region : possibleRegions) {
            for (PhoneNumberMatch match : UTIL.findNumbers(window, region, PhoneNumberUtil.Leniency.POSSIBLE, MAX_TRIES)) {
                int start = trimmedStart(text, windowStart + match.start(), windowStart + match.end());
                int end = trimmedEnd(text, start, windowStart + match.end());
                if (start >= keepFrom && start < keepTo && plausible(text, start, end)) {
                    out.add(new Finding(EntityType.PHONE, start, end, POSSIBLE_WITH_CONTEXT));
                }
            }
        }
    }

    /** libphonenumber's inner matches (after a {@code /}, say) can begin with the blank that followed the separator. */
    private static int trimmedStart(CharSequence text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        return start;
    }

    private static int trimmedEnd(CharSequence text, int start, int end) {
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static boolean plausible(CharSequence text, int start, int end) {
        int digits = 0;
        for (int i = start; i < end; i++) {
            if (Chars.isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return end > start && digits >= MIN_DIGITS && Chars.wordStartsAt(text, start) && Chars.wordEndsAt(text, end)
                && !NumberShapes.startsWithDate(text, start, end);
    }

    /**
     * Context words and an international prefix are evidence; so is formatting (a national number written with
     * separators). A bare run of digits is the weakest case: valid numbers and long ids look alike.
     */
    private static double validScore(CharSequence text, int start, int end, boolean context) {
        if (context || text.charAt(start) == '+' || text.charAt(start) == '\uFF0B') {
            return VALID_WITH_EVIDENCE;
        }
        for (int i = start; i < end; i++) {
            if (!Chars.isDigit(text.charAt(i))) {
                return VALID;
            }
        }
        return VALID_PLAIN_DIGITS;
    }

    /**
     * Whether the run is part of a longer token: a word character right before or after it, or one joined to it by a
     * hyphen, slash or underscore ({@code 05189606-d6e5-…}, {@code INV-2125550143}).
     */
    private static boolean gluedToAWord(CharSequence text, int start, int end) {
        if (!Chars.wordStartsAt(text, start) || !Chars.wordEndsAt(text, end)) {
            return true;
        }
        boolean joinedBefore = start >= 2 && isJoiner(text.charAt(start - 1)) && Chars.isWordChar(text.charAt(start - 2));
        boolean joinedAfter = end + 1 < text.length() && isJoiner(text.charAt(end)) && Chars.isWordChar(text.charAt(end + 1));
        return joinedBefore || joinedAfter;
    }

    private static boolean isJoiner(char c) {
        return c == '-' || c == '/' || c == '_';
    }

    private static boolean hashBefore(CharSequence text, int start) {
        int i = start - 1;
        while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == ':')) {
            i--;
        }
        return i >= 0 && (text.charAt(i) == '#' || text.charAt(i) == '№');
    }

    private static int extensionEnd(CharSequence text, int to) {
        int end = Math.min(text.length(), to + EXTENSION_REACH);
        for (int i = to; i < end; i++) {
            if (text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                return i;
            }
        }
        return end;
    }

    private static boolean isRunStart(char c) {
        return Chars.isDigit(c) || c == '+' || c == '(' || c == '\uFF0B';
    }

    private static boolean isRunChar(char c) {
        return switch (c) {
            case ' ', '\u00A0', '\u2007', '\u2009', '\u202F', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014',
                 '\u2015', '\u2212', '.', '/', '(', ')', '+', '\uFF0B' -> true;
            default -> Chars.isDigit(c);
        };
    }

    private static Optional<PhoneNumber> parse(String value, String region) {
        try {
            return Optional.of(UTIL.parse(value, region));
        } catch (NumberParseException notAPhoneNumber) {
            return Optional.empty();
        }
    }

    private static String e164(PhoneNumber number) {
        String e164 = UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        return number.hasExtension() ? e164 + ";ext=" + number.getExtension() : e164;
    }
}
