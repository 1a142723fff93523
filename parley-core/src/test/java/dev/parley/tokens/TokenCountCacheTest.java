package dev.parley.tokens;

import dev.parley.InvalidInputException;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenCountCacheTest {

    /** Counts words, and how often it was asked. */
    static final class CountingTokenizer implements Tokenizer {
        final AtomicInteger calls = new AtomicInteger();
        private final String name;

        CountingTokenizer(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int count(String text) {
            calls.incrementAndGet();
            return text.isBlank() ? 0 : text.strip().split("\\s+").length;
        }
    }

    private static SessionInfo session(String createdAt) {
        Instant at = Instant.parse(createdAt);
        return new SessionInfo(TenantId.DEFAULT, SessionId.of("s1"), UserId.ANONYMOUS, at, at, null, null, null, Map.of(), 1,
                1, "main", null, Map.of());
    }

    private final SessionInfo session = session("2025-01-01T00:00:00Z");
    private final Message message = Message.user("three little words");

    @Test
    void anEntryIsCountedOnceAndThenServedFromTheCache() {
        CountingTokenizer tokenizer = new CountingTokenizer("words");
        MessageTokens tokens = MessageTokens.of(tokenizer);
        TokenCountCache cache = new TokenCountCache();

        int first = cache.count(session, EntryId.of(7), tokens, message);
        int again = cache.count(session, EntryId.of(7), tokens, message);

        assertThat(first).isEqualTo(again).isEqualTo(3 + 4);
        assertThat(tokenizer.calls).hasValue(1);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void countsAreKeptApartPerTokenizerAndPerEntry() {
        CountingTokenizer a = new CountingTokenizer("a");
        CountingTokenizer b = new CountingTokenizer("b");
        TokenCountCache cache = new TokenCountCache();

        cache.count(session, EntryId.of(1), MessageTokens.of(a), message);
        cache.count(session, EntryId.of(1), MessageTokens.of(b), message);
        cache.count(session, EntryId.of(2), MessageTokens.of(a), message);

        assertThat(a.calls).hasValue(2);
        assertThat(b.calls).hasValue(1);
    }

    @Test
    void aSessionCreatedAgainUnderTheSameIdIsCountedAfresh() {
        CountingTokenizer tokenizer = new CountingTokenizer("words");
        TokenCountCache cache = new TokenCountCache();

        cache.count(session, EntryId.of(1), MessageTokens.of(tokenizer), message);
        int recreated = cache.count(session("2025-02-01T00:00:00Z"), EntryId.of(1), MessageTokens.of(tokenizer), Message.user("one"));

        assertThat(recreated).isEqualTo(1 + 4);
        assertThat(tokenizer.calls).hasValue(2);
    }

    @Test
    void aSessionCreatedAgainWithinTheSameMillisecondIsCountedAfresh() {
        CountingTokenizer tokenizer = new CountingTokenizer("words");
        TokenCountCache cache = new TokenCountCache();

        cache.count(session, EntryId.of(1), MessageTokens.of(tokenizer), message);
        int recreated = cache.count(session, EntryId.of(1), MessageTokens.of(tokenizer), Message.user("one"));

        assertThat(recreated).isEqualTo(1 + 4);
        assertThat(tokenizer.calls).hasValue(2);
    }

    @Test
    void aRememberedCountServesOnlyTheMessageItWasMadeOf() {
        CountingTokenizer tokenizer = new CountingTokenizer("words");
        MessageTokens tokens = MessageTokens.of(tokenizer);
        TokenCountCache cache = new TokenCountCache();

        cache.remember(session, EntryId.of(1), tokens, message, 42);

        assertThat(cache.count(session, EntryId.of(1), tokens, message)).isEqualTo(42);
        assertThat(tokenizer.calls).hasValue(0);
        assertThat(cache.count(session, EntryId.of(1), tokens, Message.user("one"))).isEqualTo(1 + 4);
        assertThat(tokenizer.calls).hasValue(1);
        assertThatThrownBy(() -> cache.remember(session, EntryId.of(2), tokens, message, -1))
                .isInstanceOf(InvalidInputException.class).hasMessage("a token count must be >= 0: -1");
    }

    @Test
    void theCacheIsBounded() {
        TokenCountCache cache = new TokenCountCache(10);
        MessageTokens tokens = MessageTokens.of(new CountingTokenizer("words"));
        for (int i = 1; i <= 100; i++) {
            cache.count(session, EntryId.of(i), tokens, message);
        }

        assertThat(cache.size()).isLessThanOrEqualTo(10);
        assertThatThrownBy(() -> new TokenCountCache(0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("maximumEntries must be >= 1: 0");
    }
}
