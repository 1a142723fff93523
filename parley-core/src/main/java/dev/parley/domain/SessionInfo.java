package dev.parley.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A session's descriptive row: who owns it, when it was created and last written, when it expires,
 * its metadata, its version, and the engine's settings.
 *
 * @param expiresAt         the effective expiry: the earlier of {@code absoluteExpiresAt} and
 *                          {@code updatedAt + idleTtl}; {@code null} if it never expires
 * @param version           bumped by every write; the basis of {@code ifVersion}
 * @param lastSeq           the seq of the newest entry (0 before the first); the next entry gets {@code lastSeq + 1}
 * @param currentBranch     the branch a human last checked out (programs name branches explicitly)
 * @param initialHead       the last entry of the initial context (system prompt, initial prompts, initial state), or {@code null}
 * @param settings          engine-owned settings (policy, checkpoint interval, model defaults …), opaque to stores
 */
public record SessionInfo(TenantId tenant, SessionId id, UserId user, Instant createdAt, Instant updatedAt,
                          Instant expiresAt, Instant absoluteExpiresAt, Duration idleTtl,
                          Map<String, String> metadata, long version, long lastSeq, String currentBranch,
                          EntryId initialHead, Map<String, String> settings) {

    public SessionInfo {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        metadata = Map.copyOf(metadata);
        settings = Map.copyOf(settings);
        Names.branch(currentBranch);
    }

    /** The effective expiry for a write at {@code at}, given absolute and idle limits. */
    public static Instant expiryAt(Instant at, Instant absoluteExpiresAt, Duration idleTtl) {
        Instant idle = idleTtl == null ? null : at.plus(idleTtl);
        if (idle == null) {
            return absoluteExpiresAt;
        }
        if (absoluteExpiresAt == null) {
            return idle;
        }
        return idle.isBefore(absoluteExpiresAt) ? idle : absoluteExpiresAt;
    }

    public SessionInfo withLastSeq(long newLastSeq) {
        return new SessionInfo(tenant, id, user, createdAt, updatedAt, expiresAt, absoluteExpiresAt, idleTtl,
                metadata, version, newLastSeq, currentBranch, initialHead, settings);
    }

    public SessionInfo withMetadata(Map<String, String> newMetadata) {
        return new SessionInfo(tenant, id, user, createdAt, updatedAt, expiresAt, absoluteExpiresAt, idleTtl,
                newMetadata, version, lastSeq, currentBranch, initialHead, settings);
    }

    public SessionInfo withSettings(Map<String, String> newSettings) {
        return new SessionInfo(tenant, id, user, createdAt, updatedAt, expiresAt, absoluteExpiresAt, idleTtl,
                metadata, version, lastSeq, currentBranch, initialHead, newSettings);
    }

    public SessionInfo withCurrentBranch(String branch) {
        return new SessionInfo(tenant, id, user, createdAt, updatedAt, expiresAt, absoluteExpiresAt, idleTtl,
                metadata, version, lastSeq, branch, initialHead, settings);
    }

    /** New absolute / idle limits; the effective expiry is recomputed from the last write. */
    public SessionInfo withExpiry(Instant newAbsolute, Duration newIdle) {
        return new SessionInfo(tenant, id, user, createdAt, updatedAt, expiryAt(updatedAt, newAbsolute, newIdle),
                newAbsolute, newIdle, metadata, version, lastSeq, currentBranch, initialHead, settings);
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }

    /** The row after a write at {@code at}: version bumped, last-modified and idle expiry moved. */
    public SessionInfo touched(Instant at) {
        return new SessionInfo(tenant, id, user, createdAt, at, expiryAt(at, absoluteExpiresAt, idleTtl),
                absoluteExpiresAt, idleTtl, metadata, version + 1, lastSeq, currentBranch, initialHead, settings);
    }
}
