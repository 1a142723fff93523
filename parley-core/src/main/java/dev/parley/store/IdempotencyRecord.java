package dev.parley.store;

import dev.parley.domain.EntryId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a store keeps of an idempotent request for 24 hours: its hash and the entries it created.
 * {@code pending} while a claimed request (a chat turn waiting for its model) has not written yet.
 */
public record IdempotencyRecord(String key, String requestHash, List<EntryId> entries, Instant at, boolean pending) {
    public IdempotencyRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        entries = List.copyOf(entries);
        Objects.requireNonNull(at, "at");
    }

    /** How long records are kept. */
    public static final java.time.Duration RETENTION = java.time.Duration.ofHours(24);
}
