package dev.parley.bench.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {

    @Test
    void percentilesAreTakenByNearestRank() {
        Samples samples = new Samples();
        for (int i = 100; i >= 1; i--) {
            samples.add(i * 1_000_000L);
        }
        assertThat(samples.count()).isEqualTo(100);
        assertThat(samples.medianMillis()).isEqualTo(50.0);
        assertThat(samples.p99Millis()).isEqualTo(99.0);
    }

    @Test
    void aSingleSampleIsItsOwnMedianAndP99AndNoSampleIsNotANumber() {
        Samples one = new Samples();
        one.add(1_500_000L);
        assertThat(one.medianMillis()).isEqualTo(1.5);
        assertThat(one.p99Millis()).isEqualTo(1.5);
        assertThat(new Samples().medianMillis()).isNaN();
    }
}
