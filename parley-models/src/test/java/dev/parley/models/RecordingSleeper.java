package dev.parley.models;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A retry sleeper that records the delays asked for and returns at once: retry tests never sleep. */
public final class RecordingSleeper implements RetryPolicy.Sleeper {
    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration delay) {
        delays.add(delay);
    }

    public List<Duration> delays() {
        return List.copyOf(delays);
    }

    /** A policy of {@code attempts} attempts, 100 ms doubling up to 5 s, without jitter, sleeping with this. */
    public RetryPolicy policy(int attempts) {
        return RetryPolicy.of(attempts, Duration.ofMillis(100), Duration.ofSeconds(5), 0.0).withSleeper(this);
    }
}
