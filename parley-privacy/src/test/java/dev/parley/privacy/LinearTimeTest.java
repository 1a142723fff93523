package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile inputs (512 KiB of each shape, 1 MiB of all of them mixed), shaped to make backtracking regexes or naive
 * rescans blow up, must be processed in linear time. Work is measured by counting reads of the text ({@link CountingText}), never by a clock: doubling the
 * input may at most (about) double the reads, and reads per character stay under a fixed bound. The timeout only
 * guards against a hang.
 */
class LinearTimeTest {
    private static final int MEGABYTE = 1 << 20;
    private static final int LARGE = 1 << 19;
    /** Inputs made of short phone-like runs each go through libphonenumber (tens of µs a run); keep them smaller. */
    private static final int PHONE_DENSE = 1 << 16;
    private static final double MAX_GROWTH = 2.3;
    private static final long MAX_READS_PER_CHAR = 4_000;

    private static final Detector ALL = Detectors.combine(Detectors.defaults(),
            Detectors.regex("EVIL", "(a+)+$"), Detectors.regex("NESTED", "(x*)*y"),
            Detectors.dictionary("TERMS", List.of("zq", "zq zq", "zq zq zq", "zqzq")));

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                Arguments.of("at signs between letters", "a@", LARGE, 0),
                Arguments.of("a dotted domain with no end", "a.", LARGE, 0),
                Arguments.of("local parts without a domain", "abcdefghij@", LARGE, 0),
                Arguments.of("one long run of single digits", "1 ", LARGE, -1),
                Arguments.of("parenthesised digits", "(1)", LARGE, -1),
                Arguments.of("phone numbers back to back", "212-555-0143, ", PHONE_DENSE, -1),
                Arguments.of("short runs of single digits", "1 2 3 4 5 6 7 8 9 0, ", PHONE_DENSE, -1),
                Arguments.of("dates back to back", "2024-01-15 ", LARGE, 0),
                Arguments.of("card-like groups", "4111 ", LARGE, -1),
                Arguments.of("IBAN starts", "DE89 ", LARGE, -1),
                Arguments.of("SSN starts", "123-45-", LARGE, -1),
                Arguments.of("dotted numbers", "1.", LARGE, 0),
                Arguments.of("colons", ":", LARGE, 0),
                Arguments.of("hex and colons", "a:", LARGE, 0),
                Arguments.of("scheme separators", "://", LARGE, 0),
                Arguments.of("userinfo without host", "a://a:b@", LARGE, -1),
                Arguments.of("JWT header starts", "eyJ", LARGE, 0),
                Arguments.of("JWT segments", "eyJhbGciOiJIUzI1NiJ9.", LARGE, -1),
                Arguments.of("private keys without an end", "-----BEGIN PRIVATE KEY-----\n", LARGE, -1),
                Arguments.of("password assignments", "password=", LARGE, -1),
                Arguments.of("token prefixes", "sk-ghp_xoxb-AKIA", LARGE, 0),
                Arguments.of("bearer keywords", "Bearer ", LARGE, 0),
                Arguments.of("webhook hosts", "hooks.slack.com/services/", LARGE, 0),
                Arguments.of("catastrophic-backtracking bait for (a+)+$", "a", LARGE, -1),
                Arguments.of("bait for (x*)*y", "x", LARGE, 0),
                Arguments.of("dictionary terms everywhere", "zq ", LARGE, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    @Timeout(60)
    void detectionReadsTheTextALinearNumberOfTimes(String name, String unit, int size, int expectedFindings) {
        long small = reads(unit, size / 2, text -> checkedFindings(text, expectedFindings));
        long large = reads(unit, size, text -> checkedFindings(text, expectedFindings));
        assertGrowsLinearly(name, small, large, size);
    }

    @Test
    @Timeout(60)
    void aMegabyteOfMixedHostileInputIsDetectedInLinearReadsAndRoundTrips() {
        List<String> units = hostileInputs().map(arguments -> (String) arguments.get()[1]).toList();
        String half = mixture(units, MEGABYTE / 2);
        String whole = mixture(units, MEGABYTE);
        CountingText halfText = new CountingText(half);
        CountingText wholeText = new CountingText(whole);
        checkedFindings(halfText, -1);
        checkedFindings(wholeText, -1);
        assertGrowsLinearly("1 MB of every hostile input in turn", halfText.reads(), wholeText.reads(), whole.length());

        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitized sanitized = Sanitizer.builder().detector(ALL).build().sanitize(whole, book);
        assertThat(sanitized.replacements()).isNotEmpty();
        assertThat(Restorer.restore(sanitized.text(), book)).isEqualTo(whole);
    }

    /** Blocks of 4 KiB of each unit in turn, up to {@code size} characters. */
    private static String mixture(List<String> units, int size) {
        StringBuilder text = new StringBuilder(size + 4096);
        for (int u = 0; text.length() < size; u = (u + 1) % units.size()) {
            String unit = units.get(u);
            text.append(unit.repeat(4096 / unit.length())).append('\n');
        }
        return text.toString();
    }

    static Stream<Arguments> hostileReplies() {
        return Stream.of(
                Arguments.of("unfinished placeholders", "<EMAIL_"),
                Arguments.of("long placeholder-like names", "<AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                Arguments.of("unknown placeholders", "<EMAIL_999>"),
                Arguments.of("issued placeholders", "<EMAIL_1>"),
                Arguments.of("angle brackets", "<<<>>>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileReplies")
    @Timeout(60)
    void restoringReadsTheReplyALinearNumberOfTimes(String name, String unit) {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        book.placeholderFor(EntityType.EMAIL, "ann@example.com", "ann@example.com");
        long small = reads(unit, MEGABYTE / 2, text -> Restorer.restore(text, book).length());
        long large = reads(unit, MEGABYTE, text -> Restorer.restore(text, book).length());
        assertGrowsLinearly(name, small, large, MEGABYTE);
        long streamedSmall = reads(unit, MEGABYTE / 2, text -> streamInChunks(text, book));
        long streamedLarge = reads(unit, MEGABYTE, text -> streamInChunks(text, book));
        assertGrowsLinearly(name + ", streamed", streamedSmall, streamedLarge, MEGABYTE);
    }

    /** Runs {@code work} on {@code unit} repeated to {@code size} characters and returns how often it read the text. */
    private static long reads(String unit, int size, ToIntFunction<CharSequence> work) {
        CountingText text = new CountingText(unit.repeat(size / unit.length()));
        work.applyAsInt(text);
        return text.reads();
    }

    private static int checkedFindings(CharSequence text, int expectedFindings) {
        List<Finding> findings = ALL.detect(text);
        for (int i = 0; i < findings.size(); i++) {
            assertThat(findings.get(i).end()).isLessThanOrEqualTo(text.length());
            if (i > 0) {
                assertThat(findings.get(i).start()).isGreaterThanOrEqualTo(findings.get(i - 1).end());
            }
        }
        if (expectedFindings >= 0) {
            assertThat(findings).hasSize(expectedFindings);
        }
        return findings.size();
    }

    private static int streamInChunks(CharSequence text, PlaceholderBook book) {
        StreamingRestorer restorer = new StreamingRestorer(book);
        int length = 0;
        for (int i = 0; i < text.length(); i += 7) {
            length += restorer.feed(text.subSequence(i, Math.min(text.length(), i + 7))).length();
        }
        return length + restorer.finish().length();
    }

    private static void assertGrowsLinearly(String name, long small, long large, int size) {
        System.out.printf("%-50s %,14d reads for %,9d chars (%.1f per char), x%.2f for twice the input%n",
                name, large, size, (double) large / size, (double) large / small);
        assertThat((double) large / small).as(name + ": growth of reads when the input doubles").isLessThanOrEqualTo(MAX_GROWTH);
        assertThat(large / size).as(name + ": reads per character").isLessThan(MAX_READS_PER_CHAR);
    }
}
