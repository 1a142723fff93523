package dev.parley.privacy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UrlCredentialsDetectorTest {
    private final Detector detector = Detectors.urlCredentials();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "clone https://user:pass@example.com/path?q=1 now      | https://user:pass@example.com/path?q=1",
            "DATABASE_URL=postgres://admin:s3cr3t@db.internal:5432/app | postgres://admin:s3cr3t@db.internal:5432/app",
            "redis://:token123@cache:6379                          | redis://:token123@cache:6379",
            "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/org/repo.git | https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/org/repo.git",
            "(see https://u:p@h.example/x).                        | https://u:p@h.example/x",
            "a password with an at sign: ftp://bob:p@ss@files.example.org/ | ftp://bob:p@ss@files.example.org/",
            "\"amqp://guest:guest@localhost:5672\"                  | amqp://guest:guest@localhost:5672",
    })
    void findsWholeUrlsThatCarryCredentials(String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.URL_CREDENTIALS)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/path", "https://user@example.com", "ssh://git@github.com:org/repo",
            "mailto:john@example.com", "https://example.com/@user", "https://example.com/?u=a:b@c", "://", "x://:@"
    })
    void ignoresUrlsWithoutCredentials(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }
}
