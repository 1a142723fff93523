package dev.parley.server.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A token bucket per caller: {@code burst} requests at once, refilled at {@code perSecond}. Buckets of callers
 * gone quiet are dropped after ten minutes (they would be full again by then). Time comes from the injected
 * clock, so tests move it instead of sleeping. A rate of 0 turns limiting off.
 */
final class RateLimiter {
    private final double perSecond;
    private final int burst;
    private final Clock clock;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(1_000_000).build();

    RateLimiter(double perSecond, int burst, Clock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes one request from {@code caller}'s bucket, or throws 429 with the seconds to wait in Retry-After. */
    void acquire(String caller) {
        if (perSecond <= 0) {
            return;
        }
        Bucket bucket = buckets.get(caller, k -> new Bucket(burst, nanos()));
        double wait = bucket.take(nanos(), perSecond, burst);
        if (wait > 0) {
            long seconds = Math.max(1, (long) Math.ceil(wait));
            throw new ApiException(429, "rate_limited", "too many requests for this credential: the limit is "
                    + perSecond + " per second with bursts of " + burst + "; retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)), Map.of("retryAfterSeconds", seconds));
        }
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }

        /** Takes a token and returns 0, or returns the seconds until one is available. */
        synchronized double take(long now, double perSecond, int burst) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
                updated = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }
    }
}
