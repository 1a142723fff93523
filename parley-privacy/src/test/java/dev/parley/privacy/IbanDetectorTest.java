package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IbanDetectorTest {
    private final Detector detector = Detectors.iban();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "IBAN DE89 3704 0044 0532 0130 00 please      | DE89 3704 0044 0532 0130 00",
            "IBAN: DE89370400440532013000.                | DE89370400440532013000",
            "GB82 WEST 1234 5698 7654 32                  | GB82 WEST 1234 5698 7654 32",
            "lower case gb82 west 1234 5698 7654 32 too   | gb82 west 1234 5698 7654 32",
            "FR14 2004 1010 0505 0001 3M02 606            | FR14 2004 1010 0505 0001 3M02 606",
            "NL91ABNA0417164300                           | NL91ABNA0417164300",
            "(CH93 0076 2011 6238 5295 7)                 | CH93 0076 2011 6238 5295 7",
            "DE89 3704 0044 0532 0130 00 1234             | DE89 3704 0044 0532 0130 00",
    })
    void findsIbansCompactGroupedAndInEitherCase(String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.IBAN)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DE89 3704 0044 0532 0130 01",      // mod-97 fails
            "DE88370400440532013000",
            "DE89 3704 0044 0532 0130",         // too short for DE
            "XX89370400440532013000",           // no such country
            "dE89370400440532013000",           // mixed-case country code
            "ABCDE89370400440532013000",        // glued to a word
            "DE89  3704 0044 0532 0130 00",     // double space breaks the groups
            "DE version 1.2",
    })
    void ignoresWrongChecksumsLengthsAndCountries(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }

    @Test
    void normalisesToUpperCaseWithoutSpaces() {
        assertThat(detector.normalise(EntityType.IBAN, "gb82 west 1234 5698 7654 32")).isEqualTo("GB82WEST12345698765432");
    }
}
