package dev.parley.privacy;

import dev.parley.InvalidInputException;
import dev.parley.privacy.internal.Placeholders;

import java.util.Objects;
import java.util.Optional;

/**
 * The placeholders of one session: which placeholder stands for which value, and which placeholder-shaped texts it
 * must never issue. One book per session, shared by every turn, so a value keeps its placeholder across turns (a
 * model that echoes {@code <EMAIL_1>} three turns later still gets it restored). {@link InMemoryPlaceholderBook} keeps
 * it in memory; the vault layer keeps it encrypted in the session's store.
 *
 * <p>Implementations must be thread-safe: two turns of one session may sanitise at the same time.
 */
public interface PlaceholderBook {

    /**
     * The placeholder of the value whose normalised form is {@code key}, issuing {@code <TYPE_n>} with the next free
     * {@code n} of that type (counting from 1, skipping reserved ones) when the book has not seen it yet. The first
     * {@code original} seen for a key is the one restored.
     */
    Issue placeholderFor(String type, String key, String original);

    /** The original value of an issued placeholder; empty for anything the book did not issue. */
    Optional<String> originalOf(String placeholder);

    /**
     * Never issue {@code placeholder}: it occurs literally in the session's text, so issuing it would make the
     * restore change that text. Reserving an issued placeholder changes nothing. Returns whether this call added a
     * reservation.
     */
    boolean reserve(String placeholder);

    /** The length of the longest placeholder issued so far, 0 when none was; bounds what a streaming restore holds back. */
    int longestPlaceholderLength();

    /**
     * One issued placeholder.
     *
     * @param key      the normalised value ({@link Detector#normalise}); equal keys share the placeholder
     * @param original the text restored in place of the placeholder
     */
    record Mapping(String placeholder, String type, String key, String original) {
        public Mapping {
            EntityType.requireValid(type);
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(original, "original");
            if (placeholder == null || !Placeholders.isPlaceholder(placeholder) || Placeholders.indexOf(placeholder) <= 0
                    || !placeholder.equals(Placeholders.format(type, Placeholders.indexOf(placeholder)))) {
                throw new InvalidInputException("placeholder", "placeholder of type " + type + " must look like <" + type
                        + "_n> with n >= 1, got '" + placeholder + "'");
            }
        }

        /** The {@code n} of {@code <TYPE_n>}. */
        public long index() {
            return Placeholders.indexOf(placeholder);
        }

        @Override
        public String toString() {
            return "Mapping[" + placeholder + "]";
        }
    }

    /**
     * The answer of {@link #placeholderFor}: the mapping and whether this call created it (so the caller can persist
     * exactly the new ones together with the message that introduced them).
     */
    record Issue(Mapping mapping, boolean issuedNow) {
        public Issue {
            Objects.requireNonNull(mapping, "mapping");
        }

        public String placeholder() {
            return mapping.placeholder();
        }
    }
}
