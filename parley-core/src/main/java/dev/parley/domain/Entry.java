package dev.parley.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a session's append-only history tree.
 *
 * @param id           the entry's id, equal to its {@code seq}: the session's write counter when it was appended
 * @param parent       the entry it follows, or {@code null} for a root
 * @param depth        entries on the path from the root to here, inclusive (so any path's length is O(1))
 * @param messageCount MESSAGE entries on that path, inclusive (so a branch's {@code size()} is O(1))
 * @param at           when it was appended
 * @param stateRef     the latest STATE entry on the path (this one if it is one), or {@code null}
 * @param summaryRef   the latest SUMMARY entry on the path, or {@code null}
 * @param pinsRef      the latest PIN/UNPIN entry on the path, or {@code null}
 */
public record Entry(EntryId id, EntryId parent, int depth, int messageCount, Instant at, EntryKind kind,
                    Payload payload, EntryId stateRef, EntryId summaryRef, EntryId pinsRef) {

    public Entry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (!payload.fits(kind)) {
            throw new IllegalArgumentException("payload " + payload.getClass().getSimpleName() + " does not fit kind " + kind);
        }
        if (depth < 1 || messageCount < 0 || messageCount > depth) {
            throw new IllegalArgumentException("inconsistent depth " + depth + " / messageCount " + messageCount);
        }
    }

    /** The session-wide write order; the same number as {@link #id()}. */
    public long seq() {
        return id.value();
    }

    public Optional<EntryId> parentId() {
        return Optional.ofNullable(parent);
    }

    /** The message, if this is a MESSAGE entry that has not been redacted. */
    public Optional<Message> message() {
        return payload instanceof Payload.MessagePayload m ? Optional.of(m.message()) : Optional.empty();
    }

    public boolean isRedacted() {
        return payload instanceof Payload.Redacted;
    }

    /** A copy with another payload: used only for redaction, which keeps every link intact. */
    public Entry withPayload(Payload newPayload) {
        return new Entry(id, parent, depth, messageCount, at, kind, newPayload, stateRef, summaryRef, pinsRef);
    }
}
