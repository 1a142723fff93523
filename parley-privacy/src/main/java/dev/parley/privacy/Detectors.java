package dev.parley.privacy;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.parley.InvalidInputException;
import dev.parley.privacy.internal.CompositeDetector;
import dev.parley.privacy.internal.CreditCardDetector;
import dev.parley.privacy.internal.DictionaryDetector;
import dev.parley.privacy.internal.EmailDetector;
import dev.parley.privacy.internal.IbanDetector;
import dev.parley.privacy.internal.IpAddressDetector;
import dev.parley.privacy.internal.PhoneDetector;
import dev.parley.privacy.internal.RegexDetector;
import dev.parley.privacy.internal.SecretDetector;
import dev.parley.privacy.internal.UrlCredentialsDetector;
import dev.parley.privacy.internal.UsSsnDetector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in detectors, custom ones from configuration, and their combination.
 *
 * <pre>{@code
 * Detector detector = Detectors.combine(
 *         Detectors.defaults(List.of("US", "GB", "DE")),
 *         Detectors.regex("EMPLOYEE_ID", "EMP-[0-9]{6}"),
 *         Detectors.dictionary("CODENAME", List.of("Orion", "Blue Falcon")));
 * }</pre>
 *
 * <p>Every built-in scans in time linear in the text, with a cheap prefilter (an {@code @} for e-mail, runs of digits
 * for numbers, keyword prefixes for secrets) so that plain prose is scanned quickly. Custom patterns run on RE2/J,
 * which is linear whatever the pattern.
 */
public final class Detectors {
    /** The phone regions of {@link #defaults()}. */
    public static final List<String> DEFAULT_PHONE_REGIONS = List.of("US", "GB", "DE", "FR");
    /** The score of custom detectors unless given. */
    public static final double CUSTOM_SCORE = 0.9;

    private Detectors() {
    }

    /** Every built-in detector, with phone numbers of {@link #DEFAULT_PHONE_REGIONS}. */
    public static Detector defaults() {
        return defaults(DEFAULT_PHONE_REGIONS);
    }

    /**
     * Every built-in detector: e-mail, phone (national forms of {@code phoneRegions}, international forms of every
     * country), payment cards, IBANs, US SSNs, IP addresses, URLs with credentials and secrets.
     */
    public static Detector defaults(List<String> phoneRegions) {
        return new CompositeDetector(List.of(email(), phone(phoneRegions), creditCard(), iban(), usSsn(), ipAddress(),
                urlCredentials(), secrets()));
    }

    public static Detector email() {
        return new EmailDetector();
    }

    /**
     * Phone numbers written in the national forms of {@code regions} (ISO 3166 codes as libphonenumber spells them:
     * {@code GB}, not {@code UK}) or in international form. Each region adds a pass over the digit runs, so list the
     * ones your users live in.
     */
    public static Detector phone(List<String> regions) {
        return new PhoneDetector(requireRegions(regions));
    }

    public static Detector creditCard() {
        return new CreditCardDetector();
    }

    public static Detector iban() {
        return new IbanDetector();
    }

    public static Detector usSsn() {
        return new UsSsnDetector();
    }

    /** IPv4 and IPv6 addresses, both reported as {@link EntityType#IP_ADDRESS}. */
    public static Detector ipAddress() {
        return new IpAddressDetector();
    }

    public static Detector urlCredentials() {
        return new UrlCredentialsDetector();
    }

    /**
     * AWS access key ids, GitHub, GitLab, OpenAI, Anthropic, Slack, Stripe, Google, Hugging Face and npm tokens,
     * Slack webhooks, JWTs, PEM private-key blocks, bearer tokens and values assigned to password- or key-like names.
     */
    public static Detector secrets() {
        return new SecretDetector();
    }

    /** A custom detector of {@code type} for a regular expression in RE2 syntax, with score {@link #CUSTOM_SCORE}. */
    public static Detector regex(String type, String pattern) {
        return regex(type, pattern, CUSTOM_SCORE);
    }

    /**
     * A custom detector of {@code type} for a regular expression in RE2 syntax (the syntax of Java's regexes without
     * backreferences and lookaround; use {@code (?i)} to ignore case). When the pattern has a capturing group, the
     * first group is what gets replaced.
     */
    public static Detector regex(String type, String pattern, double score) {
        EntityType.requireValid(type);
        requireScore(score);
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidInputException("pattern", "the pattern of custom detector " + type + " must not be empty");
        }
        try {
            return new RegexDetector(type, Pattern.compile(pattern), score);
        } catch (PatternSyntaxException e) {
            throw new InvalidInputException("pattern", "the pattern of custom detector " + type
                    + " is not a valid RE2 expression (" + e.getDescription() + "): " + pattern);
        }
    }

    /** A custom detector of {@code type} for whole-word occurrences of {@code terms}, ignoring case, score {@link #CUSTOM_SCORE}. */
    public static Detector dictionary(String type, Collection<String> terms) {
        return dictionary(type, terms, true, CUSTOM_SCORE);
    }

    public static Detector dictionary(String type, Collection<String> terms, boolean ignoreCase, double score) {
        EntityType.requireValid(type);
        requireScore(score);
        if (terms == null || terms.isEmpty()) {
            throw new InvalidInputException("terms", "the dictionary of custom detector " + type + " must hold at least one term");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String term : terms) {
            if (term == null || term.isBlank()) {
                throw new InvalidInputException("terms", "the dictionary of custom detector " + type
                        + " holds a blank term; remove it");
            }
            unique.add(term.strip());
        }
        return new DictionaryDetector(type, unique, ignoreCase, score);
    }

    /** Several detectors as one; overlapping findings resolved (higher score, then longer, then earlier). */
    public static Detector combine(Detector... detectors) {
        return combine(detectors == null ? null : Arrays.asList(detectors));
    }

    public static Detector combine(List<Detector> detectors) {
        if (detectors == null || detectors.isEmpty()) {
            throw new InvalidInputException("detectors", "combine needs at least one detector");
        }
        List<Detector> flat = new ArrayList<>();
        for (Detector detector : detectors) {
            if (detector == null) {
                throw new InvalidInputException("detectors", "combine got a null detector");
            }
            if (detector instanceof CompositeDetector composite) {
                flat.addAll(composite.detectors());
            } else {
                flat.add(detector);
            }
        }
        return new CompositeDetector(flat);
    }

    private static List<String> requireRegions(List<String> regions) {
        if (regions == null || regions.isEmpty()) {
            throw new InvalidInputException("phone regions", "at least one phone region is needed, e.g. [US]");
        }
        Set<String> supported = PhoneNumberUtil.getInstance().getSupportedRegions();
        List<String> checked = new ArrayList<>();
        for (String region : regions) {
            if (region == null || !supported.contains(region)) {
                String hint = "UK".equals(region) ? "; the United Kingdom is GB" : "";
                throw new InvalidInputException("phone regions", "phone region '" + region
                        + "' is not a region code libphonenumber knows (upper-case ISO 3166-1 alpha-2" + hint
                        + "); known: " + new TreeSet<>(supported).stream().limit(12).toList() + " …");
            }
            if (!checked.contains(region)) {
                checked.add(region);
            }
        }
        return checked;
    }

    private static void requireScore(double score) {
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new InvalidInputException("score", "a detector's score must be within [0, 1], got " + score);
        }
    }
}
