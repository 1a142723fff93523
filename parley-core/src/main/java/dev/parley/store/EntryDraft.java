package dev.parley.store;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Payload;

import java.time.Instant;
import java.util.Objects;

/** An entry about to be appended: the store gives it its id (seq), parent, depth and refs. */
public record EntryDraft(Instant at, EntryKind kind, Payload payload) {
    public EntryDraft {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (!payload.fits(kind)) {
            throw new IllegalArgumentException("payload " + payload.getClass().getSimpleName() + " does not fit kind " + kind);
        }
    }
}
