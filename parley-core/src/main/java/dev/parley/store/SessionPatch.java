package dev.parley.store;

import dev.parley.domain.Names;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Changes to a session's descriptive row made by a write.
 *
 * @param expiry        new absolute/idle limits, or {@code null} to leave them
 * @param currentBranch the branch to check out (must exist), or {@code null} to leave it
 */
public record SessionPatch(Map<String, String> putMetadata, Set<String> removeMetadata,
                           Map<String, String> putSettings, Set<String> removeSettings,
                           Expiry expiry, String currentBranch) {

    /** New expiry limits; a {@code null} field removes that limit. */
    public record Expiry(Instant absoluteExpiresAt, Duration idleTtl) {
    }

    public SessionPatch {
        putMetadata = Map.copyOf(Objects.requireNonNullElse(putMetadata, Map.of()));
        removeMetadata = Set.copyOf(Objects.requireNonNullElse(removeMetadata, Set.of()));
        putSettings = Map.copyOf(Objects.requireNonNullElse(putSettings, Map.of()));
        removeSettings = Set.copyOf(Objects.requireNonNullElse(removeSettings, Set.of()));
        if (currentBranch != null) {
            Names.branch(currentBranch);
        }
    }

    public static final SessionPatch NONE = new SessionPatch(null, null, null, null, null, null);

    public static SessionPatch metadata(Map<String, String> put, Set<String> remove) {
        return new SessionPatch(put, remove, null, null, null, null);
    }

    public static SessionPatch settings(Map<String, String> put, Set<String> remove) {
        return new SessionPatch(null, null, put, remove, null, null);
    }

    public static SessionPatch checkout(String branch) {
        return new SessionPatch(null, null, null, null, null, branch);
    }

    public static SessionPatch expiry(Instant absolute, Duration idle) {
        return new SessionPatch(null, null, null, null, new Expiry(absolute, idle), null);
    }

    public boolean isEmpty() {
        return putMetadata.isEmpty() && removeMetadata.isEmpty() && putSettings.isEmpty() && removeSettings.isEmpty()
                && expiry == null && currentBranch == null;
    }
}
