package dev.parley.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestorerTest {

    @Test
    void restoresIssuedPlaceholdersAndLeavesUnknownOnesAsTheyAre() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        book.placeholderFor(EntityType.EMAIL, "ann@example.com", "ann@example.com");
        assertThat(Restorer.restore("<EMAIL_1> met <PERSON_99> and <EMAIL_2>", book))
                .isEqualTo("ann@example.com met <PERSON_99> and <EMAIL_2>");
    }

    @Test
    void restoresInOnePassSoARestoredValueIsNeverRestoredAgain() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        book.placeholderFor("NOTE", "n", "<PHONE_1>");
        book.placeholderFor(EntityType.PHONE, "+12125550143", "212-555-0143");
        assertThat(Restorer.restore("<NOTE_1> / <PHONE_1>", book)).isEqualTo("<PHONE_1> / 212-555-0143");
    }

    @Test
    void restoresAdjacentAndNestedLookingPlaceholders() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        book.placeholderFor(EntityType.EMAIL, "a", "a@x.io");
        book.placeholderFor(EntityType.EMAIL, "b", "b@x.io");
        assertThat(Restorer.restore("<EMAIL_1><EMAIL_2>", book)).isEqualTo("a@x.io" + "b@x.io");
        assertThat(Restorer.restore("<<EMAIL_1>>", book)).isEqualTo("<a@x.io>");
        assertThat(Restorer.restore("<EMAIL_<EMAIL_2>", book)).isEqualTo("<EMAIL_b@x.io");
    }

    @Test
    void leavesMalformedPlaceholdersAlone() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        book.placeholderFor(EntityType.EMAIL, "a", "a@x.io");
        String text = "<EMAIL_> <EMAIL_1 <email_1> < EMAIL_1> <EMAIL-1> <_1> <1_1> <EMAIL_1x>";
        assertThat(Restorer.restore(text, book)).isEqualTo(text);
    }

    @Test
    void aPlaceholderIsNeverAPrefixOfAnother() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        for (int i = 1; i <= 12; i++) {
            book.placeholderFor(EntityType.EMAIL, "k" + i, "v" + i);
        }
        assertThat(Restorer.restore("<EMAIL_1> <EMAIL_12>", book)).isEqualTo("v1 v12");
    }
}
