package dev.parley.privacy;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneDetectorTest {
    private final Detector detector = Detectors.phone(List.of("US", "GB", "DE", "FR"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "US national, parentheses     | Call (212) 555-0143 today        | (212) 555-0143",
            "US national, hyphens         | It is 212-555-0143.               | 212-555-0143",
            "US national, dots            | 212.555.0143 is mine              | 212.555.0143",
            "US with trunk prefix         | dial 1-212-555-0143 now           | 1-212-555-0143",
            "US international             | +1 212 555 0143                   | +1 212 555 0143",
            "US with extension            | office: 212-555-0143 ext. 42 ok   | 212-555-0143 ext. 42",
            "GB national                  | ring 020 7946 0958 later          | 020 7946 0958",
            "GB international             | ring +44 20 7946 0958 later       | +44 20 7946 0958",
            "GB mobile national           | mobile 07700 900123               | 07700 900123",
            "GB international with (0)    | +44 (0)20 7946 0958               | +44 (0)20 7946 0958",
            "DE national                  | Telefon: 030 12345678             | 030 12345678",
            "DE international             | Tel. +49 30 12345678              | +49 30 12345678",
            "DE mobile                    | Handy 0151 23456789               | 0151 23456789",
            "DE mobile, slash             | Handy 0151/23456789               | 0151/23456789",
            "FR national                  | Appelez le 01 23 45 67 89         | 01 23 45 67 89",
            "FR national, dots            | Tél 06.12.34.56.78                | 06.12.34.56.78",
            "FR international             | +33 6 12 34 56 78                 | +33 6 12 34 56 78",
            "international, other country | Tokyo office +81 3-1234-5678      | +81 3-1234-5678",
    })
    void findsNationalAndInternationalForms(String description, String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.PHONE)).as(description).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Order #2125550143 has shipped",
            "order number 2125550143 has shipped",
            "Invoice 02079460958 is due",
            "Meeting on 2024-01-15 at noon",
            "Due 15.01.2024, paid 01/15/2024",
            "upgrade to version 10.15.7 tonight",
            "request id 123e4567-e89b-12d3-a456-426614174000",
            "uuid 12345678-1234-1234-1234-123456789012",
            "commit 3f786850e387550fdab836ed7e6dc881de23001b",
            "random 4829104738 digits",
            "count 1234567 items",
            "total 98765432109876",
            "host 192.168.100.200 answered",
            "abc2125550143 glued",
            "price $1,234,567.89",
            "ISBN 978-3-16-148410-0",
    })
    void ignoresNumbersThatAreNotPhoneNumbers(String text) {
        assertThat(Found.in(detector, text)).isEmpty();
    }

    @Test
    void acceptsNumbersThatAreOnlyPossibleWhenAPhoneWordPrecedesThem() {
        assertThat(Found.in(detector, "reference 555-0100 again")).isEmpty();
        assertThat(Found.in(detector, "call me on 555-0100")).containsExactly("PHONE=555-0100");
        assertThat(detector.detect("call me on 555-0100").getFirst().score())
                .isLessThan(detector.detect("call me on 212-555-0143").getFirst().score());
    }

    @Test
    void phoneWordsOutweighWordsThatSuggestOtherNumbers() {
        assertThat(Found.in(detector, "order line phone: 212-555-0143")).containsExactly("PHONE=212-555-0143");
    }

    @Test
    void findsNationalFormsOnlyOfTheConfiguredRegions() {
        String text = "London 020 7946 0958 or +44 20 7946 0958";
        assertThat(Found.texts(Detectors.phone(List.of("US")), text, EntityType.PHONE)).containsExactly("+44 20 7946 0958");
        assertThat(Found.texts(Detectors.phone(List.of("GB")), text, EntityType.PHONE))
                .containsExactly("020 7946 0958", "+44 20 7946 0958");
    }

    @Test
    void findsSeveralNumbersInOneRunOfDigits() {
        assertThat(Found.texts(detector, "lines: 212-555-0143 212-555-0199 / 020 7946 0958", EntityType.PHONE))
                .containsExactly("212-555-0143", "212-555-0199", "020 7946 0958");
    }

    @Test
    void normalisesToE164SoNationalAndInternationalFormsShareOneKey() {
        assertThat(detector.normalise(EntityType.PHONE, "020 7946 0958")).isEqualTo("+442079460958");
        assertThat(detector.normalise(EntityType.PHONE, "+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThat(detector.normalise(EntityType.PHONE, "(212) 555-0143")).isEqualTo("+12125550143");
        assertThat(detector.normalise(EntityType.PHONE, "212-555-0143 ext. 42")).isEqualTo("+12125550143;ext=42");
    }

    @Test
    void rejectsUkBecauseLibphonenumberSpellsItGb() {
        assertThatThrownBy(() -> Detectors.phone(List.of("US", "UK")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'UK'")
                .hasMessageContaining("GB");
    }

    @Test
    void rejectsUnknownAndMissingRegions() {
        assertThatThrownBy(() -> Detectors.phone(List.of("us"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'us'");
        assertThatThrownBy(() -> Detectors.phone(List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least one phone region");
    }
}
