package dev.parley.privacy;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the detectors and of the sanitise/restore round trip. In a normal build they run in regression mode
 * over the seed inputs in {@code src/test/resources/dev/parley/privacy/PrivacyFuzzTestInputs/<method>/}; run
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-privacy -Dtest=PrivacyFuzzTest} to fuzz for real (new crashing inputs
 * are written next to the seeds).
 */
class PrivacyFuzzTest {
    private static final List<Detector> BUILT_INS = List.of(Detectors.email(), Detectors.phone(Detectors.DEFAULT_PHONE_REGIONS),
            Detectors.creditCard(), Detectors.iban(), Detectors.usSsn(), Detectors.ipAddress(), Detectors.urlCredentials(),
            Detectors.secrets());
    private static final Detector ALL = Detectors.combine(Detectors.defaults(), Detectors.regex("EMPLOYEE_ID", "EMP-[0-9]{3,6}"),
            Detectors.dictionary("CODENAME", List.of("Orion", "blue falcon")));
    private static final Sanitizer SANITIZER = Sanitizer.builder().detector(ALL).build();

    @FuzzTest(maxDuration = "2m")
    void detectorsNeverThrowAndReturnFindingsWithinTheText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (Detector detector : BUILT_INS) {
            for (Finding finding : detector.detect(text)) {
                assertThat(finding.end()).as("%s on %s", detector, text).isLessThanOrEqualTo(text.length());
            }
        }
        List<Finding> combined = ALL.detect(text);
        for (int i = 1; i < combined.size(); i++) {
            assertThat(combined.get(i).start()).as("ordered and disjoint: %s", combined).isGreaterThanOrEqualTo(combined.get(i - 1).end());
        }
        assertThat(combined).allSatisfy(f -> assertThat(f.end()).isLessThanOrEqualTo(text.length()));
    }

    @FuzzTest(maxDuration = "2m")
    void restoreOfSanitiseGivesTheInputBack(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        PlaceholderBook book = new InMemoryPlaceholderBook();
        for (int turn = 0; turn < 2; turn++) {
            Sanitized sanitized = SANITIZER.sanitize(text, book);
            assertThat(Restorer.restore(sanitized.text(), book)).isEqualTo(expectedRestore(text, sanitized, book));
        }
    }

    @FuzzTest(maxDuration = "2m")
    void streamingRestoreMatchesTheOneShotRestoreUnderAnyChunking(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        PlaceholderBook book = new InMemoryPlaceholderBook();
        String sanitized = SANITIZER.sanitize(text + " " + text, book).text();
        int maxChunk = 1 + (input[0] & 0x0f);
        StreamingRestorer restorer = new StreamingRestorer(book);
        StringBuilder streamed = new StringBuilder();
        for (int i = 0; i < sanitized.length(); i += maxChunk) {
            streamed.append(restorer.feed(sanitized.substring(i, Math.min(sanitized.length(), i + maxChunk))));
            assertThat(restorer.heldBack()).isLessThanOrEqualTo(Math.max(0, book.longestPlaceholderLength() - 1));
        }
        streamed.append(restorer.finish());
        assertThat(streamed.toString()).isEqualTo(Restorer.restore(sanitized, book));
    }

    /**
     * The input with every pseudonymised value replaced by the original its placeholder restores: the input itself,
     * except where one value appeared in two forms that share a key (which the restore writes in the form seen first).
     */
    private static String expectedRestore(String text, Sanitized sanitized, PlaceholderBook book) {
        StringBuilder expected = new StringBuilder();
        int copied = 0;
        for (Sanitized.Replacement replacement : sanitized.replacements()) {
            Finding finding = replacement.finding();
            expected.append(text, copied, finding.start());
            if (replacement.action() == Action.PSEUDONYMISE) {
                String placeholder = sanitized.text().substring(replacement.sanitizedStart(), replacement.sanitizedEnd());
                expected.append(book.originalOf(placeholder).orElseThrow());
            } else {
                expected.append(text, finding.start(), finding.end());
            }
            copied = finding.end();
        }
        return expected.append(text, copied, text.length()).toString();
    }
}
