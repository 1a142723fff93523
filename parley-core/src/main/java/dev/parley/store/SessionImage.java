package dev.parley.store;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionInfo;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Everything a session holds, for import, clone and migration: written by a store in one bulk operation. */
public record SessionImage(SessionInfo info, List<Branch> branches, List<Checkpoint> checkpoints, List<Entry> entries,
                           List<VaultRow> vault, Map<String, Long> counters) {
    public SessionImage {
        Objects.requireNonNull(info, "info");
        branches = List.copyOf(branches);
        checkpoints = List.copyOf(checkpoints);
        entries = List.copyOf(entries);
        vault = List.copyOf(vault);
        counters = Map.copyOf(counters);
    }
}
