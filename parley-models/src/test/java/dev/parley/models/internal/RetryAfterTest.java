package dev.parley.models.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    @Test
    void openAisResetDurationsAreReadInGoSyntax() {
        assertThat(RetryAfter.goDuration("1s")).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.goDuration("20ms")).contains(Duration.ofMillis(20));
        assertThat(RetryAfter.goDuration("6m0s")).contains(Duration.ofMinutes(6));
        assertThat(RetryAfter.goDuration("1h2m3.5s")).contains(Duration.ofMillis(3_723_500));
    }

    @Test
    void anythingElseIsNotADuration() {
        assertThat(RetryAfter.goDuration("")).isEmpty();
        assertThat(RetryAfter.goDuration("soon")).isEmpty();
        assertThat(RetryAfter.goDuration("5 s")).isEmpty();
        assertThat(RetryAfter.goDuration("5")).isEmpty();
    }
}
