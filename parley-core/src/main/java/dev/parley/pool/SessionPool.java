package dev.parley.pool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.InvalidInputException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.SessionId;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An in-process cache of open session handles with a maximum size and an idle expiry. Evicting a
 * handle never loses data: every write is in the store when it returns; only the handle's temp-scope
 * state goes with it. Eviction follows Caffeine's policy (W-TinyLFU: recency and frequency), which
 * approximates LRU while resisting scans.
 */
public final class SessionPool implements AutoCloseable {
    /** Why a handle left the pool. */
    public enum Reason { SIZE, IDLE, DESTROYED }

    private final Parley parley;
    private final Cache<SessionId, Session> cache;

    private SessionPool(Builder b) {
        this.parley = b.parley;
        BiConsumer<SessionId, Reason> listener = b.listener;
        this.cache = Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .expireAfterAccess(b.idle)
                .ticker(b.ticker)
                .executor(Runnable::run)
                .<SessionId, Session>removalListener((id, session, cause) -> {
                    if (session != null) {
                        session.close();
                    }
                    if (id != null && cause != RemovalCause.REPLACED) {
                        listener.accept(id, reasonOf(cause));
                    }
                })
                .build();
    }

    private static Reason reasonOf(RemovalCause cause) {
        return switch (cause) {
            case SIZE, COLLECTED -> Reason.SIZE;
            case EXPIRED -> Reason.IDLE;
            default -> Reason.DESTROYED;
        };
    }

    public static Builder builder(Parley parley) {
        return new Builder(parley);
    }

    /** The pooled handle of a session, opening it ({@code "no session X"} if it does not exist). */
    public Session get(SessionId id) {
        return cache.get(id, parley::open);
    }

    public Optional<Session> getIfPresent(SessionId id) {
        return Optional.ofNullable(cache.getIfPresent(id));
    }

    /** Creates a session and pools its handle. */
    public Session create(SessionSpec spec) {
        Session session = parley.create(spec);
        cache.put(session.id(), session);
        return session;
    }

    /** Closes one handle and removes it from the pool; the session's data stays in the store. */
    public void destroy(SessionId id) {
        cache.invalidate(id);
    }

    /** Closes every pooled handle. */
    public void destroyAll() {
        cache.invalidateAll();
    }

    /** Handles currently pooled (after pending evictions are applied). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public void close() {
        destroyAll();
    }

    public static final class Builder {
        private final Parley parley;
        private long maximumSize = 1_000;
        private Duration idle = Duration.ofMinutes(30);
        private Ticker ticker = Ticker.systemTicker();
        private BiConsumer<SessionId, Reason> listener = (id, reason) -> {
        };

        private Builder(Parley parley) {
            this.parley = Objects.requireNonNull(parley, "parley");
        }

        public Builder maximumSize(long value) {
            if (value < 1) {
                throw new InvalidInputException("maximumSize", "maximumSize must be >= 1: " + value);
            }
            this.maximumSize = value;
            return this;
        }

        public Builder expireAfterIdle(Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new InvalidInputException("expireAfterIdle", "expireAfterIdle must be positive: " + value);
            }
            this.idle = value;
            return this;
        }

        /** The time source (tests pass a fake ticker). */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** Called with the id and the reason each time a handle leaves the pool. */
        public Builder onEviction(BiConsumer<SessionId, Reason> value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public SessionPool build() {
            return new SessionPool(this);
        }
    }
}
