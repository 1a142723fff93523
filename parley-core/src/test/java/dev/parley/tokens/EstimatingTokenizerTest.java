package dev.parley.tokens;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EstimatingTokenizerTest {

    @Test
    void anEmptyTextHasNoTokens() {
        assertThat(EstimatingTokenizer.standard().count("")).isZero();
    }

    @Test
    void wordsCostAboutATokenEachAndLongWordsSlightlyMore() {
        EstimatingTokenizer estimator = EstimatingTokenizer.standard();

        assertThat(estimator.count("hello world")).isEqualTo(3);    // 2 words + 10 letters x 0.04, rounded up
        assertThat(estimator.count("internationalization")).isEqualTo(2);
    }

    @Test
    void scriptsCodeAndNumbersAreWeightedByTheirClass() {
        EstimatingTokenizer estimator = EstimatingTokenizer.standard();

        assertThat(estimator.count("数据库")).isEqualTo(3);           // 3 x 0.9
        assertThat(estimator.count("привет")).isEqualTo(3);          // 6 x 0.4
        assertThat(estimator.count("2025")).isEqualTo(4);
        assertThat(estimator.count("{}();")).isEqualTo(2);           // 5 x 0.3
        assertThat(estimator.count("🎉🎉")).isEqualTo(4);              // 2 x 1.8
        assertThat(estimator.count("a\n        b")).isEqualTo(5);   // 2 words, a line break, 7 extra spaces
    }

    @Test
    void theScaleMultipliesTheEstimateAndIsPartOfTheName() {
        EstimatingTokenizer doubled = new EstimatingTokenizer(2.0);
        String text = "The old lighthouse keeper climbed the spiral stairs every evening.";

        assertThat(doubled.count(text)).isBetween(2 * EstimatingTokenizer.standard().count(text) - 1,
                2 * EstimatingTokenizer.standard().count(text));
        assertThat(doubled.name()).isEqualTo("estimate*2.0");
        assertThat(EstimatingTokenizer.standard().name()).isEqualTo("estimate");
        assertThat(new EstimatingTokenizer(1.125).name()).isNotEqualTo(new EstimatingTokenizer(1.13).name());
    }

    @Test
    void aScaleOutsideItsBoundsIsRefused() {
        assertThatThrownBy(() -> new EstimatingTokenizer(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("scale").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new EstimatingTokenizer(Double.NaN)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new EstimatingTokenizer(11)).isInstanceOf(InvalidInputException.class);
    }
}
