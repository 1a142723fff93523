package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CreditCardDetectorTest {
    private final Detector detector = Detectors.creditCard();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Visa, solid                 | card 4111111111111111 ok          | 4111111111111111",
            "Visa, spaces                | card 4111 1111 1111 1111 ok       | 4111 1111 1111 1111",
            "Visa, hyphens               | card 4111-1111-1111-1111.         | 4111-1111-1111-1111",
            "Visa, 13 digits             | old 4222222222222 card            | 4222222222222",
            "Mastercard                  | 5555 5555 5555 4444               | 5555 5555 5555 4444",
            "Mastercard 2-series         | 2223003122003222                  | 2223003122003222",
            "American Express, 4-6-5     | amex 3782 822463 10005            | 3782 822463 10005",
            "Discover                    | 6011 1111 1111 1117               | 6011 1111 1111 1117",
            "Diners Club, 4-6-4          | 3056 930902 5904                  | 3056 930902 5904",
            "JCB                         | 3530-1113-3330-0000               | 3530-1113-3330-0000",
            "UnionPay                    | 6200 0000 0000 0005               | 6200 0000 0000 0005",
            "Maestro                     | 6759649826438453                  | 6759649826438453",
            "followed by a CVV           | 4111 1111 1111 1111 123           | 4111 1111 1111 1111",
            "followed by an expiry       | 4111 1111 1111 1111 12/27         | 4111 1111 1111 1111",
            "in parentheses              | (4111111111111111)                | 4111111111111111",
    })
    void findsCardsOfKnownIssuersThatPassLuhn(String description, String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.CREDIT_CARD)).as(description).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "4111 1111 1111 1112",          // Luhn fails
            "4111111111111112",
            "7111 1111 1111 1114",          // passes Luhn, no issuer starts with 7
            "9111111111111110",
            "41111111111111111111111",      // 23 digits: a longer number, not a card
            "4111 1111-1111 1111",          // mixed separators
            "x4111111111111111",            // glued to a word
            "4111111111111111abc",
            "0.4111111111111111",           // a decimal
            "123456789015",                 // 12 digits, Luhn-valid, no issuer
            "order 2024-01-15 total 1234",
    })
    void ignoresNumbersThatAreNotCards(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }

    @Test
    void findsTwoCardsInOneSentence() {
        assertThat(Found.in(detector, "old 4111111111111111, new 5555 5555 5555 4444"))
                .containsExactly("CREDIT_CARD=4111111111111111", "CREDIT_CARD=5555 5555 5555 4444");
    }

    @Test
    void normalisesToDigitsOnly() {
        assertThat(detector.normalise(EntityType.CREDIT_CARD, "4111 1111-1111 1111")).isEqualTo("4111111111111111");
    }
}
