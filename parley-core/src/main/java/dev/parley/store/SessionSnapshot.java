package dev.parley.store;

import dev.parley.domain.Branch;
import dev.parley.domain.SessionInfo;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A session's row and its branches, as one consistent read. */
public record SessionSnapshot(SessionInfo info, Map<String, Branch> branches) {
    public SessionSnapshot {
        Objects.requireNonNull(info, "info");
        branches = Map.copyOf(branches);
    }

    public Optional<Branch> branch(String name) {
        return Optional.ofNullable(branches.get(name));
    }
}
