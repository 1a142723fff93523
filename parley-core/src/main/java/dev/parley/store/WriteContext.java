package dev.parley.store;

import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;

import java.util.Optional;

/**
 * A store's view of one session inside the transaction of a write, read by {@link WritePlanner}.
 * Every method is a point lookup: a write never reads history it does not touch.
 */
public interface WriteContext {
    /** The session's row and branches (the store has already checked it exists and has not expired). */
    SessionSnapshot snapshot();

    Optional<Entry> entry(EntryId id);

    Optional<Checkpoint> checkpoint(String name);

    /** Whether any checkpoint marks this entry. */
    boolean hasCheckpointAt(EntryId entry);

    Optional<IdempotencyRecord> idempotency(String key);

    boolean vaultHasPlaceholder(String placeholder);

    boolean vaultHasLookup(String lookup);
}
