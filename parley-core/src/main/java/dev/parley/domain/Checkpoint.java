package dev.parley.domain;

import java.time.Instant;
import java.util.Objects;

/** A named, immutable mark on an entry; restoring it moves a branch back there. {@code auto/<seq>} ones are made by the engine. */
public record Checkpoint(String name, EntryId entry, String note, Instant at) {
    public Checkpoint {
        Names.checkpoint(name);
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(at, "at");
    }

    public boolean isAutomatic() {
        return name.startsWith(Names.AUTO_PREFIX);
    }
}
