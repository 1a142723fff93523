package dev.parley.store.jsonl;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionInfo;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.SessionImage;
import dev.parley.store.VaultRow;
import dev.parley.store.WritePlan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one line of a session file records. Live writes and loading both apply changes through
 * {@link SessionData#apply}, so what is in memory is by construction what replaying the file gives.
 */
sealed interface Change {

    /** The session row after the change. */
    SessionInfo info();

    /**
     * A persisted {@link WritePlan} (or, with {@code opens}, the session's first line: a creation or an
     * import). {@code branches} are the branches that changed; {@code counters} are increments.
     */
    record Write(boolean opens, SessionInfo info, List<Entry> entries, List<Branch> branches, Set<String> deletedBranches,
                 List<Checkpoint> checkpoints, Set<String> deletedCheckpoints, List<VaultRow> vault,
                 Map<String, Long> counters, IdempotencyRecord idempotency) implements Change {
        public Write {
            Objects.requireNonNull(info, "info");
            entries = List.copyOf(entries);
            branches = List.copyOf(branches);
            deletedBranches = Set.copyOf(deletedBranches);
            checkpoints = List.copyOf(checkpoints);
            deletedCheckpoints = Set.copyOf(deletedCheckpoints);
            vault = List.copyOf(vault);
            counters = Map.copyOf(counters);
        }

        static Write of(WritePlan plan, boolean opens) {
            return new Write(opens, plan.info(), plan.entries(), List.copyOf(plan.branches().values()), plan.deletedBranches(),
                    plan.checkpoints(), plan.deletedCheckpoints(), plan.vaultRows(), plan.counters(), plan.idempotency());
        }

        static Write of(SessionImage image) {
            return new Write(true, image.info(), image.entries(), image.branches(), Set.of(), image.checkpoints(), Set.of(),
                    image.vault(), image.counters(), null);
        }
    }

    /** One message's payload replaced by a tombstone (the file is rewritten without the original). */
    record Redact(SessionInfo info, EntryId entry, Payload.Redacted tombstone) implements Change {
        public Redact {
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(tombstone, "tombstone");
        }
    }
}
