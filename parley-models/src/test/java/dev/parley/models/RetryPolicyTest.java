package dev.parley.models;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private static final ModelException UNAVAILABLE = new ModelException.ProviderUnavailable("p", "down", 503, null, null, null);
    private static final ModelException BAD = new ModelException.BadRequest("p", "bad", 400, null, null);

    private static ModelException rateLimited(Duration retryAfter, boolean quota) {
        return new ModelException.RateLimited("p", "slow down", 429, null, null, retryAfter, quota);
    }

    @Test
    void delaysDoubleFromTheBaseUpToTheMaximumWithoutJitter() {
        RetryPolicy policy = RetryPolicy.of(10, Duration.ofMillis(100), Duration.ofMillis(500), 0.0);

        assertThat(policy.delayAfter(1, UNAVAILABLE)).contains(Duration.ofMillis(100));
        assertThat(policy.delayAfter(2, UNAVAILABLE)).contains(Duration.ofMillis(200));
        assertThat(policy.delayAfter(3, UNAVAILABLE)).contains(Duration.ofMillis(400));
        assertThat(policy.delayAfter(4, UNAVAILABLE)).contains(Duration.ofMillis(500));
        assertThat(policy.delayAfter(9, UNAVAILABLE)).contains(Duration.ofMillis(500));
    }

    @Test
    void jitterOnlyEverShortensTheDelayByAtMostItsFraction() {
        long seed = Long.getLong("parley.seed", System.nanoTime());
        System.out.println("RetryPolicyTest seed " + seed + " (rerun with -Dparley.seed=" + seed + ")");
        RetryPolicy policy = RetryPolicy.of(5, Duration.ofSeconds(1), Duration.ofSeconds(8), 0.25).withRandom(new Random(seed));

        for (int i = 0; i < 1000; i++) {
            int attempt = 1 + i % 4;
            Duration full = Duration.ofSeconds(1L << (attempt - 1));
            Duration delay = policy.delayAfter(attempt, UNAVAILABLE).orElseThrow();
            assertThat(delay).as("seed %d, attempt %d", seed, attempt)
                    .isLessThanOrEqualTo(full).isGreaterThanOrEqualTo(full.multipliedBy(3).dividedBy(4));
        }
    }

    @Test
    void theRetryAfterTheProviderAskedForIsHonouredExactlyWhenWithinTheMaximum() {
        RetryPolicy policy = RetryPolicy.of(3, Duration.ofMillis(100), Duration.ofSeconds(30), 0.5);

        assertThat(policy.delayAfter(1, rateLimited(Duration.ofSeconds(7), false))).contains(Duration.ofSeconds(7));
        assertThat(policy.delayAfter(1, rateLimited(Duration.ofSeconds(31), false))).isEmpty();
        assertThat(policy.delayAfter(1, rateLimited(null, false))).isPresent();
    }

    @Test
    void nonRetriableFailuresAndExhaustedAttemptsAreNeverRetried() {
        RetryPolicy policy = RetryPolicy.of(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0.0);

        assertThat(policy.delayAfter(1, BAD)).isEmpty();
        assertThat(policy.delayAfter(1, rateLimited(Duration.ofSeconds(1), true))).isEmpty();
        assertThat(policy.delayAfter(2, UNAVAILABLE)).isPresent();
        assertThat(policy.delayAfter(3, UNAVAILABLE)).isEmpty();
        assertThat(RetryPolicy.none().delayAfter(1, UNAVAILABLE)).isEmpty();
    }

    @Test
    void invalidSettingsAreRejectedWithTheRuleAndTheValue() {
        assertThatThrownBy(() -> RetryPolicy.of(0, Duration.ZERO, Duration.ZERO, 0)).hasMessage("maxAttempts must be between 1 and 100: 0");
        assertThatThrownBy(() -> RetryPolicy.of(2, Duration.ofSeconds(-1), Duration.ZERO, 0)).hasMessage("baseDelay cannot be negative: PT-1S");
        assertThatThrownBy(() -> RetryPolicy.of(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessage("maxDelay (PT1S) cannot be shorter than baseDelay (PT2S)");
        assertThatThrownBy(() -> RetryPolicy.of(2, Duration.ZERO, Duration.ZERO, 1.5)).hasMessage("jitter must be between 0.0 and 1.0: 1.5");
    }
}
