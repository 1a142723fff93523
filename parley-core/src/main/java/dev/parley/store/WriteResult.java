package dev.parley.store;

import dev.parley.domain.Entry;

import java.util.List;

/**
 * The outcome of a write: the session's new version and the entries appended.
 *
 * @param replayed true when an idempotency key matched an earlier identical request: nothing was
 *                 written and {@code appended} are the entries that request created
 */
public record WriteResult(long version, List<Entry> appended, boolean replayed) {
    public WriteResult {
        appended = List.copyOf(appended);
    }
}
