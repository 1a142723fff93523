package dev.parley.store;

import dev.parley.domain.EntryId;
import dev.parley.domain.Names;

import java.util.Objects;

/** Where a write attaches entries or points a branch or checkpoint, resolved inside the write's transaction. */
public sealed interface Target {

    /** The head of a branch as it stands at that point of the write (earlier operations of the write included). */
    record Head(String branch) implements Target {
        public Head {
            Names.branch(branch);
        }
    }

    /** A specific existing entry. */
    record At(EntryId entry) implements Target {
        public At {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** No entry: a new root, or an empty branch. */
    record Root() implements Target {
    }

    /** The {@code index}-th entry appended by this write; {@code -1} is the last one. */
    record Appended(int index) implements Target {
    }

    static Target head(String branch) {
        return new Head(branch);
    }

    static Target at(EntryId entry) {
        return new At(entry);
    }

    static Target lastAppended() {
        return new Appended(-1);
    }
}
