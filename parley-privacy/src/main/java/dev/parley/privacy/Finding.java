package dev.parley.privacy;

import dev.parley.InvalidInputException;

/**
 * One detected entity: its type (an {@link EntityType} name), where it is and how sure the detector is.
 *
 * <p>Offsets count UTF-16 code units of the text the detector was given; {@code end} is exclusive. A finding
 * never carries the matched text, so findings can be logged or counted without leaking what they point at.
 *
 * @param score confidence in [0, 1]; when two findings overlap the higher score wins, then the longer, then the
 *              earlier
 */
public record Finding(String type, int start, int end, double score) {
    public Finding {
        EntityType.requireValid(type);
        if (start < 0 || end <= start) {
            throw new InvalidInputException("finding", "a finding needs 0 <= start < end, got [" + start + ", " + end + ")");
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new InvalidInputException("score", "a finding's score must be within [0, 1], got " + score);
        }
    }

    public int length() {
        return end - start;
    }

    /** Whether the two findings share at least one code unit. */
    public boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }
}
