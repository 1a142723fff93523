package dev.parley.tokens;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibrationTest {
    private final Calibration calibration = new Calibration();

    @Test
    void anUncalibratedFamilyUsesTheStandardEstimator() {
        assertThat(calibration.scaleFor("claude-sonnet-4-5")).isEqualTo(1.0);
        assertThat(calibration.tokenizerFor("claude-sonnet-4-5")).isSameAs(EstimatingTokenizer.standard());
    }

    @Test
    void reportedCountsPullTheScaleTowardsTheProvidersTokenizer() {
        for (int i = 0; i < 30; i++) {
            int estimated = MessageTokens.forModel("claude-sonnet-4-5", calibration).tokenizer().count(TokenSamples.all().getFirst().text());
            int reported = (int) Math.round(EstimatingTokenizer.standard().count(TokenSamples.all().getFirst().text()) * 1.2);
            calibration.record("claude-sonnet-4-5", estimated, reported);
        }

        assertThat(calibration.scaleFor("claude-sonnet-4-5")).isCloseTo(1.2, within(0.02));
        assertThat(calibration.tokenizerFor("claude-sonnet-4-5").name()).startsWith("estimate*1.");
    }

    @Test
    void oneOddRequestMovesTheScaleOnlyPartOfTheWay() {
        calibration.record("gemini-2.5-pro", 1000, 2000);

        assertThat(calibration.scaleFor("gemini-2.5-pro")).isCloseTo(1.19, within(0.005));
    }

    @Test
    void theScaleStaysWithinItsBounds() {
        for (int i = 0; i < 100; i++) {
            calibration.record("llama3.1:8b", 100, 10_000);
            calibration.record("mistral-large", 10_000, 100);
        }

        assertThat(calibration.scaleFor("llama3.1:70b")).isEqualTo(2.0);
        assertThat(calibration.scaleFor("mistral-small")).isEqualTo(0.5);
    }

    @Test
    void aFamilySharesOneScaleAndFamiliesDoNotMix() {
        calibration.record("claude-3-5-haiku-20241022", 1000, 1500);

        assertThat(calibration.scaleFor("claude-opus-4-1")).isGreaterThan(1.0);
        assertThat(calibration.scaleFor("anthropic/claude-sonnet-4-5")).isEqualTo(calibration.scaleFor("claude-opus-4-1"));
        assertThat(calibration.scaleFor("gemini-2.5-flash")).isEqualTo(1.0);
    }

    @Test
    void smallRequestsAndExactFamiliesAreLeftAlone() {
        calibration.record("claude-sonnet-4-5", 10, 30);
        calibration.record("gpt-4o", 1000, 3000);

        assertThat(calibration.scaleFor("claude-sonnet-4-5")).isEqualTo(1.0);
        assertThat(calibration.tokenizerFor("gpt-4o")).isSameAs(Tokenizers.o200kBase());
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> calibration.record("claude-sonnet-4-5", -1, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessage("estimated tokens must be >= 0: -1");
        assertThatThrownBy(() -> calibration.record("claude-sonnet-4-5", 10, -1)).isInstanceOf(InvalidInputException.class)
                .hasMessage("reported tokens must be >= 0: -1");
    }
}
