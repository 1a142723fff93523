package dev.parley.privacy;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FindingTest {

    @Test
    void rejectsEmptyReversedAndNegativeSpansNamingThem() {
        assertThatThrownBy(() -> new Finding("EMAIL", 3, 3, 1.0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("[3, 3)");
        assertThatThrownBy(() -> new Finding("EMAIL", 4, 2, 1.0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Finding("EMAIL", -1, 2, 1.0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rejectsScoresOutsideZeroToOne() {
        assertThatThrownBy(() -> new Finding("EMAIL", 0, 1, -0.1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new Finding("EMAIL", 0, 1, Double.NaN)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rejectsTypesThatCannotBePlaceholderNames() {
        assertThatThrownBy(() -> new Finding("e-mail", 0, 1, 1.0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("e-mail");
    }

    @Test
    void overlapMeansSharingACodeUnit() {
        Finding finding = new Finding("EMAIL", 2, 5, 1.0);
        assertThat(finding.overlaps(new Finding("X", 4, 6, 1.0))).isTrue();
        assertThat(finding.overlaps(new Finding("X", 5, 6, 1.0))).isFalse();
        assertThat(finding.overlaps(new Finding("X", 0, 2, 1.0))).isFalse();
        assertThat(finding.length()).isEqualTo(3);
    }

    @Test
    void offsetsCountUtf16CodeUnits() {
        String text = "😀 ann@example.com";
        Finding finding = Detectors.email().detect(text).getFirst();
        assertThat(finding.start()).isEqualTo(3);
        assertThat(text.substring(finding.start(), finding.end())).isEqualTo("ann@example.com");
    }
}
