package dev.parley.models;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How an adapter retries retriable failures: at most {@code maxAttempts} calls in all, waiting
 * {@code baseDelay × 2^(n-1)} (capped at {@code maxDelay}) before retry n, shortened by up to {@code jitter}
 * (a fraction, 0–1) at random so clients that failed together do not retry together.
 *
 * <p>A {@link ModelException.RateLimited} that says how long to wait is retried after exactly that long; if the
 * provider asks for longer than {@code maxDelay} the failure is returned at once instead (waiting minutes
 * inside a chat turn helps nobody; the caller sees {@code retryAfter()}). Non-retriable failures are never
 * retried. The sleeper and the random source are injectable so tests never sleep.
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final double jitter;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /** Waits for a delay; the default is {@link Thread#sleep(Duration)}. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    private RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, double jitter, Sleeper sleeper,
                        RandomGenerator random) {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 100: " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative()) {
            throw new IllegalArgumentException("baseDelay cannot be negative: " + baseDelay);
        }
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") cannot be shorter than baseDelay (" + baseDelay + ")");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0.0 and 1.0: " + jitter);
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.jitter = jitter;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    public static RetryPolicy of(int maxAttempts, Duration baseDelay, Duration maxDelay, double jitter) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, jitter, Thread::sleep, RandomGenerator.getDefault());
    }

    /** 3 attempts, 0.5 s doubling up to 20 s, 20 % jitter. */
    public static RetryPolicy defaults() {
        return of(3, Duration.ofMillis(500), Duration.ofSeconds(20), 0.2);
    }

    /** One attempt: failures reach the caller at once. */
    public static RetryPolicy none() {
        return of(1, Duration.ZERO, Duration.ZERO, 0.0);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, jitter, sleeper, random);
    }

    public RetryPolicy withSleeper(Sleeper newSleeper) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, jitter, newSleeper, random);
    }

    public RetryPolicy withRandom(RandomGenerator newRandom) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, jitter, sleeper, newRandom);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration baseDelay() {
        return baseDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double jitter() {
        return jitter;
    }

    /**
     * How long to wait before attempt {@code failedAttempt + 1}, after attempt {@code failedAttempt} (1-based)
     * failed with {@code failure}; empty when the failure must reach the caller.
     */
    public Optional<Duration> delayAfter(int failedAttempt, ModelException failure) {
        if (!failure.isRetriable() || failedAttempt >= maxAttempts) {
            return Optional.empty();
        }
        if (failure instanceof ModelException.RateLimited limited && limited.retryAfter().isPresent()) {
            Duration asked = limited.retryAfter().get();
            return asked.compareTo(maxDelay) > 0 ? Optional.empty() : Optional.of(asked);
        }
        Duration exponential = baseDelay.multipliedBy(1L << Math.min(failedAttempt - 1, 30));
        Duration capped = exponential.compareTo(maxDelay) > 0 || exponential.isNegative() ? maxDelay : exponential;
        long nanos = capped.toNanos();
        long shortened = (long) (nanos * (1.0 - jitter * random.nextDouble()));
        return Optional.of(Duration.ofNanos(shortened));
    }

    /** Waits with this policy's sleeper. */
    public void sleep(Duration delay) throws InterruptedException {
        sleeper.sleep(delay);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
                + ", jitter=" + jitter + "]";
    }
}
