package dev.parley.privacy;

import dev.parley.InvalidInputException;
import dev.parley.privacy.internal.Findings;
import dev.parley.privacy.internal.Placeholders;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replaces what the detectors find according to a {@link SanitizerPolicy}. Thread-safe and stateless: the session's
 * memory is the {@link PlaceholderBook} passed to each call.
 *
 * <pre>{@code
 * Sanitizer sanitizer = Sanitizer.builder()
 *         .detector(Detectors.defaults(List.of("US", "GB")))
 *         .policy(SanitizerPolicy.defaults().with(EntityType.SECRET, Action.REDACT))
 *         .build();
 * PlaceholderBook book = new InMemoryPlaceholderBook();          // one per session
 * Sanitized out = sanitizer.sanitize("Mail bob@example.com", book); // "Mail <EMAIL_1>"
 * String reply = Restorer.restore("I wrote to <EMAIL_1>.", book);   // "I wrote to bob@example.com."
 * }</pre>
 *
 * <p>With only {@link Action#PSEUDONYMISE} and {@link Action#KEEP} in the policy, {@code Restorer.restore(sanitize(x))}
 * gives back {@code x}, with one documented exception: a value written in two forms that normalise alike (say
 * {@code Bob@Example.com} and {@code bob@example.com}) shares one placeholder, which restores to the form seen first.
 * Placeholder-shaped text already in the input is handled so that the restore leaves it as written: if the book never
 * issued it, it is reserved so the book never will; if the book did issue it, it is replaced by a
 * {@link EntityType#LITERAL} placeholder that restores to the literal text.
 */
public final class Sanitizer {
    private final Detector detector;
    private final SanitizerPolicy policy;

    private Sanitizer(Detector detector, SanitizerPolicy policy) {
        this.detector = detector;
        this.policy = policy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Detector detector() {
        return detector;
    }

    public SanitizerPolicy policy() {
        return policy;
    }

    /** Sanitises {@code text}, issuing placeholders from (and reserving literal placeholders in) {@code book}. */
    public Sanitized sanitize(String text, PlaceholderBook book) {
        if (text == null) {
            throw new InvalidInputException("text", "the text to sanitise must not be null");
        }
        Objects.requireNonNull(book, "book");
        List<Finding> findings = Findings.checked(detector.detect(text), text.length(), detector);
        List<Finding> replaced = new ArrayList<>(findings.size());
        List<Finding> kept = new ArrayList<>();
        for (Finding finding : findings) {
            (policy.actionFor(finding.type()) == Action.KEEP ? kept : replaced).add(finding);
        }
        List<String> newReservations = new ArrayList<>();
        List<Finding> escapes = literalPlaceholders(text, replaced, book, newReservations);
        List<Finding> all = new ArrayList<>(replaced.size() + escapes.size() + kept.size());
        all.addAll(replaced);
        all.addAll(escapes);
        all.addAll(Findings.withoutOverlapsWith(kept, escapes));
        all.sort(Findings.BY_POSITION);
        return assemble(text, all, book, newReservations);
    }

    /**
     * Placeholder-shaped texts in the parts of the input that stay as they are: those the book issued become findings
     * of type LITERAL (escaped), the others are reserved. Runs before any placeholder is issued, so this call cannot
     * issue one of them either.
     */
    private static List<Finding> literalPlaceholders(String text, List<Finding> replaced, PlaceholderBook book,
                                                     List<String> newReservations) {
        List<Finding> escapes = new ArrayList<>();
        int next = 0;
        int i = text.indexOf('<');
        while (i >= 0) {
            while (next < replaced.size() && replaced.get(next).end() <= i) {
                next++;
            }
            if (next < replaced.size() && replaced.get(next).start() <= i) {
                i = text.indexOf('<', replaced.get(next).end());
                continue;
            }
            int limit = next < replaced.size() ? replaced.get(next).start() : text.length();
            int end = Placeholders.endOfPlaceholderAt(text, i);
            if (end < 0 || end > limit) {
                i = text.indexOf('<', i + 1);
                continue;
            }
            String literal = text.substring(i, end);
            if (book.originalOf(literal).isPresent()) {
                escapes.add(new Finding(EntityType.LITERAL, i, end, 1.0));
            } else if (book.reserve(literal)) {
                newReservations.add(literal);
            }
            i = text.indexOf('<', end);
        }
        return escapes;
    }

    private Sanitized assemble(String text, List<Finding> findings, PlaceholderBook book, List<String> newReservations) {
        StringBuilder out = new StringBuilder(text.length() + 16 * findings.size());
        List<Sanitized.Replacement> replacements = new ArrayList<>(findings.size());
        List<PlaceholderBook.Mapping> newMappings = new ArrayList<>();
        int copied = 0;
        for (Finding finding : findings) {
            out.append(text, copied, finding.start());
            String value = text.substring(finding.start(), finding.end());
            Action action = policy.actionFor(finding.type());
            int start = out.length();
            switch (action) {
                case PSEUDONYMISE -> {
                    PlaceholderBook.Issue issue = book.placeholderFor(finding.type(), keyOf(finding.type(), value), value);
                    if (issue.issuedNow()) {
                        newMappings.add(issue.mapping());
                    }
                    out.append(issue.placeholder());
                }
                case REDACT -> out.append("[REDACTED_").append(finding.type()).append(']');
                case MASK -> mask(value, out);
                case KEEP -> out.append(value);
            }
            replacements.add(new Sanitized.Replacement(finding, action, start, out.length()));
            copied = finding.end();
        }
        out.append(text, copied, text.length());
        return new Sanitized(out.toString(), replacements, newMappings, newReservations);
    }

    private String keyOf(String type, String value) {
        if (EntityType.LITERAL.equals(type)) {
            return value;
        }
        String key = detector.normalise(type, value);
        if (key == null) {
            throw new IllegalStateException("detector " + detector + " normalised a value of type " + type + " to null");
        }
        return key;
    }

    /**
     * Keeps the last four characters of values of at least eight, so at most half is shown. An angle bracket among them
     * is masked too, so masked text can never complete a placeholder with the text that follows it.
     */
    private static void mask(String value, StringBuilder out) {
        int keepFrom = value.length() >= 8 ? value.length() - 4 : value.length();
        if (keepFrom < value.length() && Character.isLowSurrogate(value.charAt(keepFrom))) {
            keepFrom++;
        }
        out.repeat('*', keepFrom);
        for (int i = keepFrom; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == '<' || c == '>' ? '*' : c);
        }
    }

    /** Configures a {@link Sanitizer}; by default {@link Detectors#defaults()} and {@link SanitizerPolicy#defaults()}. */
    public static final class Builder {
        private Detector detector;
        private SanitizerPolicy policy = SanitizerPolicy.defaults();

        private Builder() {
        }

        public Builder detector(Detector detector) {
            if (detector == null) {
                throw new InvalidInputException("detector", "the detector must not be null");
            }
            this.detector = detector;
            return this;
        }

        public Builder policy(SanitizerPolicy policy) {
            if (policy == null) {
                throw new InvalidInputException("policy", "the policy must not be null");
            }
            this.policy = policy;
            return this;
        }

        public Sanitizer build() {
            return new Sanitizer(detector != null ? detector : Detectors.defaults(), policy);
        }
    }
}
