package dev.parley.privacy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore(sanitize(x)) == x} over many generated conversations: one book per conversation, several turns,
 * entities of every type repeated across turns, placeholder-shaped literals (some that the book issues later, some
 * it issued before), stray angle brackets, non-ASCII text. Each value appears in one surface form: two forms of one
 * value share a placeholder by design (see {@link Sanitizer}).
 */
class RoundTripTest {
    static final List<String> ENTITIES = List.of(
            "ann@example.com", "Bob.Stone@mail.example.org", "212-555-0143", "+44 20 7946 0958", "030 12345678",
            "06 12 34 56 78", "4111 1111 1111 1111", "3782 822463 10005", "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432", "536-22-8726", "192.168.1.20", "2001:db8::42",
            "postgres://admin:s3cr3t@db.internal:5432/app", "AKIA" + "IOSFODNN7EXAMPLE",
            "ghp" + "_" + SecretDetectorTest.body(36), SecretDetectorTest.jwt(), "password=hunter22",
            "EMP-123456", "Orion");
    static final List<String> FILLERS = List.of(
            "hello", "the order 12345 shipped", "on 2024-01-15", "version 1.2.3", "<EMAIL_1>", "<EMAIL_2>",
            "<PHONE_1>", "<SECRET_3>", "<LITERAL_1>", "<EMPLOYEE_ID_1>", "<", ">", "<EMAIL_", "a<b>c", "naïve café",
            "😀 emoji", "line\nbreak", "tab\there", "x", "42", "<<EMAIL_1>>", "_1>", "<CODENAME_1");
    static final List<String> SEPARATORS = List.of(", ", "; ", "\n", " and ", "! ");

    static final Sanitizer SANITIZER = Sanitizer.builder()
            .detector(Detectors.combine(Detectors.defaults(List.of("US", "GB", "DE", "FR")),
                    Detectors.regex("EMPLOYEE_ID", "EMP-[0-9]{6}"),
                    Detectors.dictionary("CODENAME", List.of("Orion"))))
            .build();

    static String generate(Random random) {
        StringBuilder text = new StringBuilder();
        for (int pieces = 1 + random.nextInt(20); pieces > 0; pieces--) {
            List<String> pool = random.nextInt(3) == 0 ? ENTITIES : FILLERS;
            text.append(pool.get(random.nextInt(pool.size())));
            if (pieces > 1) {
                text.append(SEPARATORS.get(random.nextInt(SEPARATORS.size())));
            }
        }
        return text.toString();
    }

    @Test
    void restoreOfSanitiseGivesBackEveryGeneratedTurn() {
        long seed = Seeds.seed("restoreOfSanitiseGivesBackEveryGeneratedTurn");
        Random random = new Random(seed);
        int replaced = 0;
        for (int conversation = 0; conversation < 150; conversation++) {
            PlaceholderBook book = new InMemoryPlaceholderBook();
            for (int turn = 0; turn < 4; turn++) {
                String text = generate(random);
                Sanitized sanitized = SANITIZER.sanitize(text, book);
                replaced += sanitized.replacements().size();
                assertThat(Restorer.restore(sanitized.text(), book)).as("seed %d", seed).isEqualTo(text);
            }
        }
        assertThat(replaced).as("the generator must produce entities to replace").isGreaterThan(500);
    }

    @Test
    void sanitisedTextNoLongerContainsTheDetectedValues() {
        long seed = Seeds.seed("sanitisedTextNoLongerContainsTheDetectedValues");
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            String text = generate(random);
            Sanitized sanitized = SANITIZER.sanitize(text, new InMemoryPlaceholderBook());
            for (Sanitized.Replacement replacement : sanitized.replacements()) {
                String value = text.substring(replacement.finding().start(), replacement.finding().end());
                if (!replacement.finding().type().equals(EntityType.LITERAL)) {
                    assertThat(sanitized.text()).as("seed %d", seed).doesNotContain(value);
                }
            }
        }
    }

    @Test
    void streamedRestoreUnderRandomChunkingsGivesBackEveryTurn() {
        long seed = Seeds.seed("streamedRestoreUnderRandomChunkingsGivesBackEveryTurn");
        Random random = new Random(seed);
        for (int conversation = 0; conversation < 100; conversation++) {
            PlaceholderBook book = new InMemoryPlaceholderBook();
            for (int turn = 0; turn < 3; turn++) {
                String text = generate(random);
                String sanitized = SANITIZER.sanitize(text, book).text();
                StreamingRestorer restorer = new StreamingRestorer(book);
                StringBuilder streamed = new StringBuilder();
                for (String chunk : StreamingRestorerTest.chunk(sanitized, random)) {
                    streamed.append(restorer.feed(chunk));
                }
                streamed.append(restorer.finish());
                assertThat(streamed.toString()).as("seed %d", seed).isEqualTo(text);
            }
        }
    }
}
