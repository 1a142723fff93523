package dev.parley.privacy;

import dev.parley.CloneMode;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionId;
import dev.parley.security.KeyRing;
import dev.parley.security.MasterKey;
import dev.parley.store.VaultRow;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateSessionsTest {
    private final MutableClock clock = MutableClock.startingAt("2025-03-01T10:00:00Z");
    private final Parley parley = Parley.builder().clock(clock).build();
    private final SessionPrivacy privacy = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).build();
    private final PrivateSessions sessions = new PrivateSessions(parley, privacy);

    @AfterEach
    void close() {
        parley.close();
    }

    private Session sanitising(String id, String user) {
        Session session = parley.create(SessionSpec.builder().id(id).user(user).systemPrompt("Be brief.").build());
        SessionPrivacy.enable(session);
        return session;
    }

    private void turn(Session session, String user, String reply) {
        clock.advance(Duration.ofMinutes(1));
        PrivateTurns.turn(privacy, session, user, reply);
    }

    @Test
    void aCloneRestoresUnderItsOwnNewKey() {
        Session source = sanitising("source", "alice");
        turn(source, "Mail jane@example.com", "Mailing <EMAIL_1>.");
        turn(source, "Call +44 20 7946 0958", "Calling <PHONE_1>.");

        Session clone = sessions.cloneSession(source.id(), CloneMode.FULL, null, SessionId.of("copy"));

        assertThat(clone.info().metadata()).containsEntry("clonedFrom", "source");
        assertThat(clone.messages()).isEqualTo(source.messages());
        assertThat(PrivateTurns.restoredTexts(privacy, clone)).isEqualTo(PrivateTurns.restoredTexts(privacy, source))
                .contains("Mail jane@example.com", "Calling +44 20 7946 0958.");
        assertThat(clone.info().settings().get(SessionPrivacy.DATA_KEY_SETTING))
                .isNotEqualTo(source.info().settings().get(SessionPrivacy.DATA_KEY_SETTING));
        List<VaultRow> sourceRows = parley.store().vault(source.tenant(), source.id());
        List<VaultRow> cloneRows = parley.store().vault(clone.tenant(), clone.id());
        assertThat(cloneRows).extracting(VaultRow::placeholder).containsExactlyInAnyOrder("<EMAIL_1>", "<PHONE_1>");
        assertThat(cloneRows).extracting(VaultRow::ciphertext).doesNotContainAnyElementsOf(sourceRows.stream().map(VaultRow::ciphertext).toList());
        assertThat(cloneRows).extracting(VaultRow::lookup).doesNotContainAnyElementsOf(sourceRows.stream().map(VaultRow::lookup).toList());
        assertThat(parley.list(null, null, 10).items()).as("no scratch session is left").hasSize(2);
    }

    @Test
    void aCloneKeepsNumberingAndValuesForItsNextTurns() {
        Session source = sanitising("source", "alice");
        turn(source, "Mail jane@example.com", "ok");
        Session clone = sessions.cloneSession(source.id(), CloneMode.FULL, null, null);
        assertThat(privacy.start(clone).sanitise(dev.parley.domain.Message.user("jane@example.com, bob@example.org")).text())
                .isEqualTo("<EMAIL_1>, <EMAIL_2>");
    }

    @Test
    void aCloneCutAtAnEntryCarriesOnlyTheOriginalsItMentions() {
        Session source = sanitising("source", "alice");
        turn(source, "Mail jane@example.com", "ok");
        Entry cut = source.history().getLast();
        turn(source, "Call +44 20 7946 0958", "ok");

        Session clone = sessions.cloneSession(source.id(), CloneMode.FULL, cut.id(), SessionId.of("cut"));

        assertThat(parley.store().vault(clone.tenant(), clone.id())).extracting(VaultRow::placeholder).containsExactly("<EMAIL_1>");
        assertThat(privacy.book(clone).originalOf("<PHONE_1>")).isEmpty();
        assertThat(PrivateTurns.restoredTexts(privacy, clone)).containsExactly("Be brief.", "Mail jane@example.com", "ok");
    }

    @Test
    void aMergeRestoresEveryMessageOfBothSourcesWithOneNumbering() {
        Session a = sanitising("a", "alice");
        Session b = sanitising("b", "alice");
        turn(a, "I am jane@example.com", "Hello <EMAIL_1>.");
        turn(b, "I am bob@example.org", "Hello <EMAIL_1>.");
        turn(b, "My colleague is jane@example.com", "Noted <EMAIL_2>.");
        turn(a, "Card 4111 1111 1111 1111", "Card <CREDIT_CARD_1> noted.");
        List<String> expected = new java.util.ArrayList<>(PrivateTurns.restoredTexts(privacy, a));
        expected.addAll(PrivateTurns.restoredTexts(privacy, b).subList(1, 5));

        Session merged = sessions.merge(a.id(), b.id(), SessionId.of("merged"));

        assertThat(merged.info().metadata()).containsEntry("mergedFrom", "a,b");
        assertThat(PrivateTurns.restoredTexts(privacy, merged)).containsExactlyInAnyOrderElementsOf(expected)
                .containsSubsequence("I am jane@example.com", "I am bob@example.org", "My colleague is jane@example.com",
                        "Card 4111 1111 1111 1111");
        assertThat(merged.messages()).extracting(m -> m.text())
                .contains("I am <EMAIL_1>", "I am <EMAIL_2>", "My colleague is <EMAIL_1>", "Noted <EMAIL_1>.");
        VaultPlaceholderBook book = privacy.book(merged);
        assertThat(book.mappings()).extracting(PlaceholderBook.Mapping::placeholder)
                .containsExactly("<CREDIT_CARD_1>", "<EMAIL_1>", "<EMAIL_2>");
        assertThat(parley.list(null, null, 10).items()).as("no scratch session is left").hasSize(3);
    }

    @Test
    void aLiteralPlaceholderInOneSourceNeverRestoresToAValueOfTheOther() {
        Session a = sanitising("a", "alice");
        Session b = sanitising("b", "alice");
        turn(a, "I am jane@example.com", "Hello <EMAIL_1>.");
        turn(b, "What does <EMAIL_1> mean?", "A placeholder.");

        Session merged = sessions.merge(a.id(), b.id(), null);

        assertThat(PrivateTurns.restoredTexts(privacy, merged)).contains("I am jane@example.com", "What does <EMAIL_1> mean?");
        assertThat(merged.messages()).extracting(m -> m.text()).contains("What does <LITERAL_1> mean?");
    }

    @Test
    void sessionsWithoutAVaultMergeAsUsual() {
        Session a = parley.create(SessionSpec.builder().id("a").build());
        Session b = parley.create(SessionSpec.builder().id("b").build());
        a.add(dev.parley.domain.Message.user("hello"));
        Session merged = sessions.merge(a.id(), b.id(), SessionId.of("m"));
        assertThat(merged.messages()).extracting(m -> m.text()).containsExactly("hello");
        assertThat(merged.info().settings()).doesNotContainKey(SessionPrivacy.DATA_KEY_SETTING);
    }
}
