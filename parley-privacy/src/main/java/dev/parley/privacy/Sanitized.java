package dev.parley.privacy;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Sanitizer#sanitize}.
 *
 * @param text            the sanitised text, safe to send to a model or to store
 * @param replacements    what was done where, in text order; findings the policy kept appear with {@link Action#KEEP}
 * @param newMappings     the placeholders this call issued, which a vault must persist together with the message
 * @param newReservations placeholder-shaped texts found literally in the input and reserved by this call
 */
public record Sanitized(String text, List<Replacement> replacements, List<PlaceholderBook.Mapping> newMappings,
                        List<String> newReservations) {
    public Sanitized {
        Objects.requireNonNull(text, "text");
        replacements = List.copyOf(replacements);
        newMappings = List.copyOf(newMappings);
        newReservations = List.copyOf(newReservations);
    }

    /**
     * One finding and what became of it.
     *
     * @param finding        where the value was in the input
     * @param action         what the sanitiser did with it
     * @param sanitizedStart where its replacement starts in {@link Sanitized#text()}
     * @param sanitizedEnd   where its replacement ends (exclusive)
     */
    public record Replacement(Finding finding, Action action, int sanitizedStart, int sanitizedEnd) {
        public Replacement {
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(action, "action");
        }
    }
}
