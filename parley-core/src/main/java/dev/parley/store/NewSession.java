package dev.parley.store;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A session to create. {@code initialEntries} (system prompt, initial prompts, initial state) are
 * appended as one chain from the root; branch {@code main} points at the last of them.
 */
public record NewSession(TenantId tenant, SessionId id, UserId user, Instant at, Instant absoluteExpiresAt,
                         Duration idleTtl, Map<String, String> metadata, Map<String, String> settings,
                         List<EntryDraft> initialEntries) {
    public NewSession {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(at, "at");
        metadata = Map.copyOf(Objects.requireNonNullElse(metadata, Map.of()));
        settings = Map.copyOf(Objects.requireNonNullElse(settings, Map.of()));
        initialEntries = List.copyOf(Objects.requireNonNullElse(initialEntries, List.of()));
    }
}
