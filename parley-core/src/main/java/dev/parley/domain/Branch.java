package dev.parley.domain;

import java.util.Objects;
import java.util.Optional;

/** A named pointer to the head of a path. A branch with no entries yet has a {@code null} head. */
public record Branch(String name, EntryId head) {
    public Branch {
        Names.branch(name);
    }

    public Optional<EntryId> headId() {
        return Optional.ofNullable(head);
    }

    public Branch movedTo(EntryId newHead) {
        return new Branch(name, newHead);
    }

    @Override
    public String toString() {
        return name + "@" + Objects.toString(head, "empty");
    }
}
