package dev.parley.privacy;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SanitizerTest {
    private final Sanitizer sanitizer = Sanitizer.builder().detector(Detectors.defaults(List.of("US", "GB"))).build();

    @Test
    void pseudonymisesWithTypedPlaceholdersCountedPerType() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitized out = sanitizer.sanitize("Mail ann@example.com, call 212-555-0143, cc bob@example.com", book);
        assertThat(out.text()).isEqualTo("Mail <EMAIL_1>, call <PHONE_1>, cc <EMAIL_2>");
        assertThat(Restorer.restore(out.text(), book))
                .isEqualTo("Mail ann@example.com, call 212-555-0143, cc bob@example.com");
    }

    @Test
    void theSameValueKeepsItsPlaceholderAcrossCallsWithOneBook() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        sanitizer.sanitize("first turn: ann@example.com", book);
        Sanitized second = sanitizer.sanitize("second turn: bob@example.com and ann@example.com", book);
        assertThat(second.text()).isEqualTo("second turn: <EMAIL_2> and <EMAIL_1>");
    }

    @Test
    void reportsOnlyTheMappingsACallIssued() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitized first = sanitizer.sanitize("ann@example.com", book);
        Sanitized second = sanitizer.sanitize("ann@example.com bob@example.com", book);
        assertThat(first.newMappings()).extracting(PlaceholderBook.Mapping::placeholder).containsExactly("<EMAIL_1>");
        assertThat(second.newMappings()).singleElement().satisfies(m -> {
            assertThat(m.placeholder()).isEqualTo("<EMAIL_2>");
            assertThat(m.type()).isEqualTo(EntityType.EMAIL);
            assertThat(m.key()).isEqualTo("bob@example.com");
            assertThat(m.original()).isEqualTo("bob@example.com");
        });
    }

    @Test
    void booksOfDifferentSessionsCountIndependently() {
        assertThat(sanitizer.sanitize("bob@example.com", new InMemoryPlaceholderBook()).text()).isEqualTo("<EMAIL_1>");
        assertThat(sanitizer.sanitize("ann@example.com", new InMemoryPlaceholderBook()).text()).isEqualTo("<EMAIL_1>");
    }

    @Test
    void valuesThatNormaliseAlikeShareAPlaceholderWhichRestoresTheFormSeenFirst() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitized out = sanitizer.sanitize("Ann@Example.com = ann@example.com; +44 20 7946 0958 = 020 7946 0958", book);
        assertThat(out.text()).isEqualTo("<EMAIL_1> = <EMAIL_1>; <PHONE_1> = <PHONE_1>");
        assertThat(Restorer.restore(out.text(), book))
                .isEqualTo("Ann@Example.com = Ann@Example.com; +44 20 7946 0958 = +44 20 7946 0958");
    }

    @Test
    void redactsWithTheTypeName() {
        Sanitizer redacting = Sanitizer.builder().policy(SanitizerPolicy.otherwise(Action.REDACT)).build();
        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitized out = redacting.sanitize("key AKIAIOSFODNN7EXAMPLE from ann@example.com", book);
        assertThat(out.text()).isEqualTo("key [REDACTED_SECRET] from [REDACTED_EMAIL]");
        assertThat(out.newMappings()).isEmpty();
        assertThat(Restorer.restore(out.text(), book)).isEqualTo(out.text());
    }

    @Test
    void masksAllButTheLastFourCharacters() {
        Sanitizer masking = Sanitizer.builder().policy(SanitizerPolicy.otherwise(Action.MASK)).build();
        assertThat(masking.sanitize("card 4111111111111111", new InMemoryPlaceholderBook()).text())
                .isEqualTo("card ************1111");
        assertThat(masking.sanitize("SSN 536-22-8726.", new InMemoryPlaceholderBook()).text())
                .isEqualTo("SSN *******8726.");
    }

    @Test
    void masksShortValuesEntirely() {
        Sanitizer masking = Sanitizer.builder().detector(Detectors.regex("PIN", "PIN ([0-9]{4,7})"))
                .policy(SanitizerPolicy.otherwise(Action.MASK)).build();
        assertThat(masking.sanitize("PIN 1234567", new InMemoryPlaceholderBook()).text()).isEqualTo("PIN *******");
    }

    @Test
    void keepsWhatThePolicySaysToKeepAndReportsIt() {
        Sanitizer keepingIps = Sanitizer.builder().policy(SanitizerPolicy.defaults().with(EntityType.IP_ADDRESS, Action.KEEP)).build();
        Sanitized out = keepingIps.sanitize("host 10.0.0.1 mailed ann@example.com", new InMemoryPlaceholderBook());
        assertThat(out.text()).isEqualTo("host 10.0.0.1 mailed <EMAIL_1>");
        assertThat(out.replacements()).extracting(Sanitized.Replacement::action).containsExactly(Action.KEEP, Action.PSEUDONYMISE);
    }

    @Test
    void replacementsPointIntoBothTexts() {
        String text = "to ann@example.com, key sk_test_abcdefghij0123456789";
        Sanitizer mixed = Sanitizer.builder().policy(SanitizerPolicy.defaults().with(EntityType.SECRET, Action.REDACT)).build();
        Sanitized out = mixed.sanitize(text, new InMemoryPlaceholderBook());
        assertThat(out.replacements()).hasSize(2);
        for (Sanitized.Replacement r : out.replacements()) {
            String replaced = out.text().substring(r.sanitizedStart(), r.sanitizedEnd());
            assertThat(replaced).isIn("<EMAIL_1>", "[REDACTED_SECRET]");
            assertThat(text.substring(r.finding().start(), r.finding().end())).isIn("ann@example.com",
                    "sk_test_abcdefghij0123456789");
        }
    }

    @Test
    void leavesPlaceholderShapedTextTheBookNeverIssuedAndNeverIssuesIt() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitized out = sanitizer.sanitize("the template says <EMAIL_1>; mine is ann@example.com", book);
        assertThat(out.text()).isEqualTo("the template says <EMAIL_1>; mine is <EMAIL_2>");
        assertThat(out.newReservations()).containsExactly("<EMAIL_1>");
        assertThat(Restorer.restore(out.text(), book)).isEqualTo("the template says <EMAIL_1>; mine is ann@example.com");
        assertThat(sanitizer.sanitize("bob@example.com", book).text()).isEqualTo("<EMAIL_3>");
    }

    @Test
    void escapesLiteralTextEqualToAnIssuedPlaceholderSoTheRestoreKeepsIt() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        sanitizer.sanitize("ann@example.com", book);
        Sanitized out = sanitizer.sanitize("I literally typed <EMAIL_1> here", book);
        assertThat(out.text()).isEqualTo("I literally typed <LITERAL_1> here");
        assertThat(Restorer.restore(out.text(), book)).isEqualTo("I literally typed <EMAIL_1> here");
        assertThat(Restorer.restore("<EMAIL_1>", book)).isEqualTo("ann@example.com");
    }

    @Test
    void literalPlaceholdersInsideKeptFindingsAreStillEscaped() {
        PlaceholderBook book = new InMemoryPlaceholderBook();
        Sanitizer keepingNotes = Sanitizer.builder()
                .detector(Detectors.combine(Detectors.email(), Detectors.regex("NOTE", "note: [^.]*")))
                .policy(SanitizerPolicy.defaults().with("NOTE", Action.KEEP)).build();
        keepingNotes.sanitize("ann@example.com", book);
        Sanitized out = keepingNotes.sanitize("note: see <EMAIL_1>.", book);
        assertThat(Restorer.restore(out.text(), book)).isEqualTo("note: see <EMAIL_1>.");
    }

    @Test
    void literalIsNotAnActionableType() {
        assertThatThrownBy(() -> SanitizerPolicy.defaults().with(EntityType.LITERAL, Action.KEEP))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("LITERAL");
    }

    @Test
    void rejectsNullTextAndNullSettings() {
        assertThatThrownBy(() -> sanitizer.sanitize(null, new InMemoryPlaceholderBook()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> Sanitizer.builder().policy(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Sanitizer.builder().detector(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SanitizerPolicy.defaults().with(EntityType.EMAIL, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("EMAIL");
    }

    @Test
    void textWithoutFindingsComesBackUnchanged() {
        Sanitized out = sanitizer.sanitize("nothing to see here, 42 times", new InMemoryPlaceholderBook());
        assertThat(out.text()).isEqualTo("nothing to see here, 42 times");
        assertThat(out.replacements()).isEmpty();
    }
}
