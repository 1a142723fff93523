package dev.parley.store.redis;

import dev.parley.store.AccessCounter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What every part of the store shares: the connection, the key names, the clock that decides expiry,
 * and the access counter.
 */
record Backend(Redis redis, Keys keys, Clock clock, AccessCounter access) {

    /**
     * How long Redis keeps a session's keys after the store's clock says it expired. Expiry is decided
     * by the store's clock (an expired session is invisible at once and deleted by the sweeper);
     * Redis's own key expiry is only a backstop that frees memory when no sweeper runs, so it must
     * never come first, even on a server whose clock is behind.
     */
    static final Duration EXPIRY_GRACE = Duration.ofHours(1);

    Instant now() {
        return clock.instant();
    }

    /** The TTL (ms) for the keys of a session expiring at {@code expiresAt}, or -1 for none. */
    long ttlMillis(Instant expiresAt) {
        if (expiresAt == null) {
            return -1;
        }
        return Math.max(1, Duration.between(now(), expiresAt).plus(EXPIRY_GRACE).toMillis());
    }
}
