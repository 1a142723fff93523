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
 * id never sees the counts of its predecessor; each count also keeps the hash of the message it was made
 * from, and a message that hashes differently is counted afresh, so not even a session created again within
 * the same millisecond (a clock that stands still, a test's) is given its predecessor's counts. Bounded
 * (least recently used counts are evicted). Thread-safe; share one per process.
 */
public final class TokenCountCache {
    private record Key(TenantId tenant, SessionId session, Instant createdAt, EntryId entry, String counter) {
    }

    /** A count and the hash of the message it counted. */
    private record Counted(int tokens, int messageHash) {
    }

    private final Cache<Key, Counted> counts;

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
        Key key = key(session, entry, tokens);
        int hash = message.hashCode();
        Counted kept = counts.getIfPresent(key);
        if (kept != null && kept.messageHash() == hash) {
            return kept.tokens();
        }
        int counted = tokens.count(message);
        counts.put(key, new Counted(counted, hash));
        return counted;
    }

    /**
     * Records that {@code entry} of {@code session}, holding {@code message}, counts {@code count} as {@code tokens}
     * counts: its message was counted before it was stored (as a request), so it need not be counted again.
     */
    public void remember(SessionInfo session, EntryId entry, MessageTokens tokens, Message message, int count) {
        Objects.requireNonNull(message, "message");
        if (count < 0) {
            throw new InvalidInputException("count", "a token count must be >= 0: " + count);
        }
        counts.put(key(session, entry, tokens), new Counted(count, message.hashCode()));
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
