package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmailDetectorTest {
    private final Detector detector = Detectors.email();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Mail john.doe@example.com today            | john.doe@example.com",
            "MAIL JOHN.DOE@EXAMPLE.COM TODAY            | JOHN.DOE@EXAMPLE.COM",
            "first+tag@sub.domain.co.uk wrote           | first+tag@sub.domain.co.uk",
            "x_y-z%1@my-host.io                         | x_y-z%1@my-host.io",
            "write to <anna@example.org>                | anna@example.org",
            "mailto:anna@example.org                    | anna@example.org",
            "(anna@example.org)                         | anna@example.org",
            "at the end anna@example.org.               | anna@example.org",
            "josé.garcía@correo.es                      | josé.garcía@correo.es",
            "'quoted@example.net'                       | quoted@example.net",
    })
    void findsAddressesInTheirUsualSurroundings(String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.EMAIL)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "icon@2x.png", "user@localhost", "follow @handle", "name@ is empty", "a@b", "john..doe@example.com",
            "foo@-bar.com", "foo@bar-.com", "release@1.2.3", "@@@", "x@y.z", "git@github"
    })
    void ignoresThingsThatAreNotAddresses(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }

    @Test
    void findsEveryAddressInAList() {
        assertThat(Found.in(detector, "to: a@example.com, b@example.com;c@example.com"))
                .containsExactly("EMAIL=a@example.com", "EMAIL=b@example.com", "EMAIL=c@example.com");
    }

    @Test
    void normalisesAddressesToLowerCase() {
        assertThat(detector.normalise(EntityType.EMAIL, "John.Doe@Example.COM")).isEqualTo("john.doe@example.com");
        assertThat(detector.normalise(EntityType.PHONE, "John")).isEqualTo("John");
    }
}
