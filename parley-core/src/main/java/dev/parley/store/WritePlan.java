package dev.parley.store;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a store must persist for one write, computed by {@link WritePlanner}: insert {@code entries},
 * replace the session row with {@code info}, upsert {@code branches}, delete {@code deletedBranches},
 * insert {@code checkpoints}, delete {@code deletedCheckpoints}, insert {@code vaultRows}, add
 * {@code counters}, and store {@code idempotency} (insert or replace a pending record).
 * A replay ({@link #replay()}) persists nothing and returns {@code result}.
 */
public record WritePlan(SessionInfo info, List<Entry> entries, Map<String, Branch> branches, Set<String> deletedBranches,
                        List<Checkpoint> checkpoints, Set<String> deletedCheckpoints, List<VaultRow> vaultRows,
                        Map<String, Long> counters, IdempotencyRecord idempotency, WriteResult result, boolean replay) {
}
