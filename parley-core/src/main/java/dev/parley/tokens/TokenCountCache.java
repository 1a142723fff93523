package dev.parley.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.parley.InvalidInputException;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;

import java.time.Instant;
import java.util.Objects;

/**
 * Token counts of history entries, computed once per (entry, counter) when first needed and then
 * reused by every context that includes the entry. Entries never change once written (a redacted one
 * leaves every context, so its old count is never asked for), which is what makes caching safe. The
 * session's creation time is part of the key, so a session deleted and created again under the same
 * id never sees the counts of its predecessor. Bounded (least recently used counts are evicted).
 * Thread-safe; share one per process.
 */
public final class TokenCountCache {
    private record Key(TenantId tenant, SessionId session, Instant createdAt, EntryId entry, String counter) {
    }

    private final Cache<Key, Integer> counts;

    public TokenCountCache() {
        this(100_000);
    }

    /** A cache holding at most {@code maximumEntries} counts. */
    public TokenCountCache(long maximumEntries) {
        if (maximumEntries < 1) {
            throw new InvalidInputException("maximumEntries", "maximumEntries must be >= 1: " + maximumEntries);
        }
        this.counts = Caffeine.newBuilder().maximumSize(maximumEntries).build();
    }

    /**
     * The tokens of {@code message}, the rendering of {@code entry} of {@code session}, as {@code tokens}
     * counts them; computed on the first call for that entry and counter only.
     */
    public int count(SessionInfo session, EntryId entry, MessageTokens tokens, Message message) {
        Objects.requireNonNull(message, "message");
        return counts.get(key(session, entry, tokens), k -> tokens.count(message));
    }

    /**
     * Records that {@code entry} of {@code session} counts {@code count} as {@code tokens} counts: its message was
     * counted before it was stored (as a request), so it need not be counted again.
     */
    public void remember(SessionInfo session, EntryId entry, MessageTokens tokens, int count) {
        if (count < 0) {
            throw new InvalidInputException("count", "a token count must be >= 0: " + count);
        }
        counts.put(key(session, entry, tokens), count);
    }

    private static Key key(SessionInfo session, EntryId entry, MessageTokens tokens) {
        return new Key(session.tenant(), session.id(), session.createdAt(), Objects.requireNonNull(entry, "entry"),
                tokens.cacheKey());
    }

    /** Counts currently held (approximate while evictions are pending). */
    public long size() {
        counts.cleanUp();
        return counts.estimatedSize();
    }
}
