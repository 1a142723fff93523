package dev.parley.store;

import dev.parley.domain.Names;

import java.time.Instant;
import java.util.Objects;

/** A change to a branch or checkpoint pointer, applied in order inside a write. All are O(1). */
public sealed interface PointerOp {

    enum Mode {
        /** The branch must not exist yet. */
        CREATE,
        /** The branch must exist. */
        MOVE
    }

    record SetBranch(String name, Target target, Mode mode) implements PointerOp {
        public SetBranch {
            Names.branch(name);
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** Deletes a branch ({@code main} cannot be deleted). */
    record DeleteBranch(String name) implements PointerOp {
        public DeleteBranch {
            Names.branch(name);
        }
    }

    /**
     * Creates a checkpoint. A {@code null} name means the automatic name {@code auto/<seq>} of the
     * target entry; an automatic checkpoint that already marks the same entry is left as it is.
     */
    record AddCheckpoint(String name, Target target, String note, Instant at) implements PointerOp {
        public AddCheckpoint {
            if (name != null) {
                Names.checkpoint(name);
            }
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(at, "at");
        }
    }

    record DeleteCheckpoint(String name) implements PointerOp {
        public DeleteCheckpoint {
            Names.checkpoint(name);
        }
    }

    /**
     * Keeps a branch's current head reachable before the branch moves: if no other branch and no
     * checkpoint references it, it is saved as checkpoint {@code auto/<seq>}.
     */
    record PreserveHead(String branch, Instant at) implements PointerOp {
        public PreserveHead {
            Names.branch(branch);
            Objects.requireNonNull(at, "at");
        }
    }
}
