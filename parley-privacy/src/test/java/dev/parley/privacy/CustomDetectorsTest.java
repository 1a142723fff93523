package dev.parley.privacy;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomDetectorsTest {

    @Test
    void regexDetectorReportsWholeMatchesOfItsType() {
        Detector detector = Detectors.regex("EMPLOYEE_ID", "EMP-[0-9]{6}");
        assertThat(Found.in(detector, "ask EMP-123456 or EMP-654321, not EMP-12"))
                .containsExactly("EMPLOYEE_ID=EMP-123456", "EMPLOYEE_ID=EMP-654321");
        assertThat(detector.detect("EMP-123456").getFirst().score()).isEqualTo(Detectors.CUSTOM_SCORE);
    }

    @Test
    void regexDetectorReportsOnlyTheFirstGroupWhenThePatternHasOne() {
        Detector detector = Detectors.regex("EMPLOYEE_ID", "(?i)employee id:\\s*([0-9]{6})", 0.7);
        assertThat(Found.in(detector, "Employee ID: 123456")).containsExactly("EMPLOYEE_ID=123456");
        assertThat(detector.detect("employee id: 123456").getFirst().score()).isEqualTo(0.7);
    }

    @Test
    void regexDetectorIgnoresEmptyMatches() {
        assertThat(Detectors.regex("MAYBE", "x*").detect("abc xx def")).extracting(Finding::length).containsExactly(2);
    }

    @Test
    void regexDetectorRejectsPatternsRe2CannotRunNamingTheDetector() {
        assertThatThrownBy(() -> Detectors.regex("EMPLOYEE_ID", "(a)\\1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("EMPLOYEE_ID")
                .hasMessageContaining("(a)\\1");
        assertThatThrownBy(() -> Detectors.regex("EMPLOYEE_ID", "(unclosed"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a valid RE2 expression");
        assertThatThrownBy(() -> Detectors.regex("EMPLOYEE_ID", ""))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void customTypesMustBeValidPlaceholderNames() {
        for (String bad : Arrays.asList("employee_id", "EMPLOYEE ID", "1D", "ID_", "", null, "A".repeat(65))) {
            assertThatThrownBy(() -> Detectors.regex(bad, "x")).as(String.valueOf(bad))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("entity type");
        }
        assertThat(Detectors.regex("EMPLOYEE_ID_2", "x").detect("x").getFirst().type()).isEqualTo("EMPLOYEE_ID_2");
    }

    @Test
    void scoresOutsideZeroToOneAreRejected() {
        assertThatThrownBy(() -> Detectors.regex("X", "x", 1.5)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> Detectors.dictionary("X", List.of("x"), true, Double.NaN))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void dictionaryDetectorFindsWholeWordsIgnoringCase() {
        Detector detector = Detectors.dictionary("CODENAME", List.of("Orion", "Blue Falcon"));
        assertThat(Found.in(detector, "Project ORION and blue falcon, not Orionids or Blue Falconry."))
                .containsExactly("CODENAME=ORION", "CODENAME=blue falcon");
    }

    @Test
    void dictionaryDetectorCanBeCaseSensitive() {
        Detector detector = Detectors.dictionary("CODENAME", List.of("Orion"), false, 0.8);
        assertThat(Found.in(detector, "orion Orion ORION")).containsExactly("CODENAME=Orion");
    }

    @Test
    void dictionaryDetectorNormalisesCaseOnlyWhenIgnoringIt() {
        assertThat(Detectors.dictionary("CODENAME", List.of("Orion")).normalise("CODENAME", "ORION")).isEqualTo("orion");
        assertThat(Detectors.dictionary("CODENAME", List.of("Orion"), false, 0.8).normalise("CODENAME", "ORION"))
                .isEqualTo("ORION");
        assertThat(Detectors.dictionary("CODENAME", List.of("Orion")).normalise("EMAIL", "A@B.COM")).isEqualTo("A@B.COM");
    }

    @Test
    void dictionaryRejectsEmptyListsAndBlankTerms() {
        assertThatThrownBy(() -> Detectors.dictionary("CODENAME", List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least one term");
        assertThatThrownBy(() -> Detectors.dictionary("CODENAME", List.of("Orion", " ")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("blank term");
    }

    @Test
    void combinedDetectorsNormaliseEachTypeWithTheDetectorThatKnowsIt() {
        Detector detector = Detectors.combine(Detectors.defaults(List.of("GB")), Detectors.dictionary("CODENAME", List.of("Orion")));
        assertThat(detector.normalise(EntityType.EMAIL, "A@B.COM")).isEqualTo("a@b.com");
        assertThat(detector.normalise(EntityType.PHONE, "020 7946 0958")).isEqualTo("+442079460958");
        assertThat(detector.normalise("CODENAME", "ORION")).isEqualTo("orion");
        assertThat(detector.normalise("UNKNOWN", "Value")).isEqualTo("Value");
    }

    @Test
    void combineRejectsNothingAndNulls() {
        assertThatThrownBy(() -> Detectors.combine()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Detectors.combine(Arrays.asList(Detectors.email(), null)))
                .isInstanceOf(InvalidInputException.class);
    }
}
