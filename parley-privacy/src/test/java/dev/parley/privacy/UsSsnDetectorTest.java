package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UsSsnDetectorTest {
    private final Detector detector = Detectors.usSsn();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "my number is 536-22-8726.         | 536-22-8726",
            "SSN: 536 22 8726                  | 536 22 8726",
            "ssn 536228726                     | 536228726",
            "Social Security Number 078-05-1121 | 078-05-1121",
            "(899-99-9999)                     | 899-99-9999",
    })
    void findsHyphenatedNumbersAndOtherFormsAfterAnSsnWord(String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.US_SSN)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "000-12-3456",          // area 000 is never issued
            "666-12-3456",          // nor 666
            "900-12-3456",          // nor 900-999
            "999-99-9999",
            "536-00-8726",          // group 00
            "536-22-0000",          // serial 0000
            "536 22 8726",          // spaced, no SSN word
            "536228726",            // solid, no SSN word
            "1536-22-8726",         // part of a longer number
            "536-22-87261",
            "536-22 8726",          // mixed separators
            "SSN 536-22-8726-4",
    })
    void rejectsNumbersNeverIssuedAndAmbiguousForms(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }

    @Test
    void scoresHigherWithAnSsnWord() {
        double plain = detector.detect("id 536-22-8726").getFirst().score();
        double withContext = detector.detect("SSN 536-22-8726").getFirst().score();
        assertThat(withContext).isGreaterThan(plain);
    }
}
