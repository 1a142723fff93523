package dev.parley.bench.micro;

import dev.parley.context.Context;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls each micro-benchmark once, outside JMH, so a broken benchmark fails the build rather than the next run. */
class MicroBenchmarksSmokeTest {

    @Test
    void theSessionBenchmarkAppendsAfterTheSeededHistoryAndReadsTheLastTwenty() {
        SessionBenchmark benchmark = new SessionBenchmark();
        benchmark.history = 30;
        benchmark.seed();
        try {
            assertThat(benchmark.appendTurn()).hasSize(2);
            assertThat(benchmark.lastTwenty()).hasSize(20);
            assertThat(benchmark.session.size()).isEqualTo(32);
        } finally {
            benchmark.close();
        }
    }

    @Test
    void theContextBenchmarkBuildsAWindowWithinTheTokenBudget() throws Exception {
        ContextBenchmark benchmark = new ContextBenchmark();
        benchmark.history = 100;
        benchmark.seed();
        try {
            Context context = benchmark.tokenBudget();
            assertThat(context.totalTokens()).isPositive().isLessThanOrEqualTo(4000);
            assertThat(context.omittedMessages()).as("100 messages of this size exceed 4000 tokens").isPositive();
        } finally {
            benchmark.close();
        }
    }

    @Test
    void theTokenSanitiserAndJsonBenchmarksDoTheirWork() {
        TokenBenchmark tokens = new TokenBenchmark();
        assertThat(tokens.o200kMessage()).isPositive();
        assertThat(tokens.o200kDocument()).isGreaterThan(tokens.o200kMessage());
        assertThat(tokens.estimateDocument()).isPositive();

        SanitizerBenchmark sanitizer = new SanitizerBenchmark();
        assertThat(sanitizer.messageWithPii().text()).doesNotContain("alice.example@example.com", "4111 1111 1111 1111");
        assertThat(sanitizer.plainReply().text()).isEqualTo(Fixtures.ANSWER);

        JsonBenchmark json = new JsonBenchmark();
        assertThat(json.decodeMessage()).isEqualTo(json.payload);
        assertThat(json.encodeMessage()).isEqualTo(json.json);
    }
}
