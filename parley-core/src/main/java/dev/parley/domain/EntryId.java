package dev.parley.domain;

import dev.parley.InvalidInputException;

/**
 * Identifies an entry within its session. An entry's id is its {@code seq}: the session's write
 * counter at the time it was appended, so ids are compact, unique per session and totally ordered.
 */
public record EntryId(long value) implements Comparable<EntryId> {
    public EntryId {
        if (value < 1) {
            throw new InvalidInputException("entry id", "entry id must be a positive integer: " + value);
        }
    }

    public static EntryId of(long value) {
        return new EntryId(value);
    }

    /** Parses the decimal form used by the CLI and the REST API. */
    public static EntryId parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            throw new InvalidInputException("entry id",
                    "entry id must be a positive integer: " + (text == null ? "null" : Ids.quote(text)));
        }
        return new EntryId(Long.parseLong(text));
    }

    @Override
    public int compareTo(EntryId o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
