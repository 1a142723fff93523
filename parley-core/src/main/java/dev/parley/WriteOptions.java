package dev.parley;

import dev.parley.domain.EntryId;

/**
 * Conditions and an idempotency key for an append.
 *
 * @param ifVersion      the session must be at this version
 * @param ifHead         the branch must have this head ({@link #ifEmpty} for an empty branch)
 * @param idempotencyKey a retry with the same key and the same messages returns the original entries
 */
public record WriteOptions(Long ifVersion, EntryId ifHead, boolean ifEmpty, String idempotencyKey) {
    public static final WriteOptions NONE = new WriteOptions(null, null, false, null);

    public static WriteOptions ifVersion(long version) {
        return new WriteOptions(version, null, false, null);
    }

    public static WriteOptions ifHead(EntryId head) {
        return new WriteOptions(null, head, head == null, null);
    }

    public static WriteOptions idempotent(String key) {
        return new WriteOptions(null, null, false, key);
    }

    public WriteOptions withIdempotencyKey(String key) {
        return new WriteOptions(ifVersion, ifHead, ifEmpty, key);
    }
}
