package dev.parley.privacy;

import dev.parley.InvalidInputException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.security.KeyRing;
import dev.parley.security.MasterKey;
import dev.parley.spi.PrivacyHook;
import dev.parley.store.VaultRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionPrivacyTest {
    private static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumqUdGOxrV2V6eYdyC8Yw\n"
            + "lRvP0rA8qkz0yF3gqQvXk3YoLzDl0d8kBHrWXT1H5G2H3JpR1YV0mKyS2Q\n-----END RSA PRIVATE KEY-----";

    private final Parley parley = Parley.inMemory();
    private final SessionPrivacy privacy = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).build();
    private final Session session = parley.create(SessionSpec.builder().user("alice").build());

    @AfterEach
    void close() {
        parley.close();
    }

    @Test
    void aSessionWithoutTheSettingPassesTextThroughAndCreatesNoKey() {
        PrivacyHook.Turn turn = privacy.start(session);
        Message input = Message.user("Mail jane@example.com");
        assertThat(turn.sanitise(input)).isSameAs(input);
        assertThat(turn.newVaultRows()).isEmpty();
        assertThat(session.info().settings()).doesNotContainKey(SessionPrivacy.DATA_KEY_SETTING);
        assertThat(parley.store().userKey(session.tenant(), session.user())).isEmpty();
    }

    @Test
    void anEnabledSessionSanitisesInputAndRestoresReplies() {
        SessionPrivacy.enable(session);
        PrivacyHook.Turn turn = privacy.start(session);
        Message sanitised = turn.sanitise(Message.user("Mail jane@example.com or call +44 20 7946 0958"));
        assertThat(sanitised.text()).isEqualTo("Mail <EMAIL_1> or call <PHONE_1>");
        assertThat(turn.restore(Message.assistant("Writing to <EMAIL_1>.")).text()).isEqualTo("Writing to jane@example.com.");
        List<VaultRow> rows = turn.newVaultRows();
        assertThat(rows).extracting(VaultRow::placeholder).containsExactly("<EMAIL_1>", "<PHONE_1>");
        assertThat(rows).allSatisfy(row -> assertThat(row.ciphertext() + row.lookup())
                .doesNotContain("jane").doesNotContain("7946"));
        assertThat(session.info().settings().get(SessionPrivacy.DATA_KEY_SETTING)).startsWith("dek1.");
    }

    @Test
    void aValueKeepsItsPlaceholderInLaterTurnsAndNewValuesContinueTheNumbering() {
        SessionPrivacy.enable(session);
        PrivateTurns.turn(privacy, session, "I am jane@example.com", "Hello <EMAIL_1>");
        PrivacyHook.Turn second = privacy.start(session);
        assertThat(second.sanitise(Message.user("jane@example.com and bob@example.org")).text())
                .isEqualTo("<EMAIL_1> and <EMAIL_2>");
        assertThat(second.newVaultRows()).extracting(VaultRow::placeholder).containsExactly("<EMAIL_2>");
        assertThat(second.restore(Message.assistant("<EMAIL_1>, <EMAIL_2>")).text())
                .isEqualTo("jane@example.com, bob@example.org");
    }

    @Test
    void aLiteralPlaceholderTheUserTypedStaysLiteralInLaterTurns() {
        SessionPrivacy.enable(session);
        PrivacyHook.Turn first = PrivateTurns.turn(privacy, session, "What does <EMAIL_1> mean?", "A placeholder.");
        assertThat(first.newVaultRows()).extracting(VaultRow::placeholder).containsExactly("<EMAIL_1>");
        PrivacyHook.Turn second = privacy.start(session);
        assertThat(second.sanitise(Message.user("mine is jane@example.com")).text()).isEqualTo("mine is <EMAIL_2>");
        PrivateTurns.append(session, second, List.of(Message.user("mine is <EMAIL_2>")));
        assertThat(PrivateTurns.restoredTexts(privacy, session))
                .containsExactly("What does <EMAIL_1> mean?", "A placeholder.", "mine is jane@example.com");
    }

    @Test
    void toolsRunWithOriginalsInsideValidJsonAndTheirResultsAreSanitised() {
        SessionPrivacy.enable(session);
        PrivacyHook.Turn turn = privacy.start(session);
        turn.sanitise(Message.user("Use this key:\n" + PEM + "\nand mail jane@example.com"));
        String arguments = turn.toolArguments(new Part.ToolCall("c1", "deploy", "{\"key\":\"<SECRET_1>\",\"notify\":[\"<EMAIL_1>\"]}"));
        var json = ParleyJson.parse(arguments, "arguments");
        assertThat(json.path("key").stringValue()).isEqualTo(PEM);
        assertThat(json.path("notify").get(0).stringValue()).isEqualTo("jane@example.com");

        Part.ToolResult result = turn.toolResult(new Part.ToolCall("c1", "deploy", "{}"),
                new Part.ToolResult("c1", "deployed; notified jane@example.com and ops@example.com", false));
        assertThat(result.content()).isEqualTo("deployed; notified <EMAIL_1> and <EMAIL_2>");
    }

    @Test
    void argumentsThatAreNotJsonAreRestoredAsText() {
        SessionPrivacy.enable(session);
        PrivacyHook.Turn turn = privacy.start(session);
        turn.sanitise(Message.user("jane@example.com"));
        assertThat(turn.toolArguments(new Part.ToolCall("c1", "send", "to=<EMAIL_1>"))).isEqualTo("to=jane@example.com");
        assertThat(turn.toolArguments(new Part.ToolCall("c1", "send", "{\"a\":1}"))).isEqualTo("{\"a\":1}");
    }

    @Test
    void aStreamedReplyIsRestoredWhenAPlaceholderIsSplitAcrossChunks() {
        SessionPrivacy.enable(session);
        PrivacyHook.Turn turn = privacy.start(session);
        turn.sanitise(Message.user("jane@example.com"));
        List<String> seen = new ArrayList<>();
        PrivacyHook.StreamingText stream = turn.restoreStream(seen::add);
        for (String chunk : List.of("Mail to <EM", "AIL_", "1> and <", "PERSON_9> done")) {
            stream.accept(chunk);
        }
        stream.finish();
        assertThat(String.join("", seen)).isEqualTo("Mail to jane@example.com and <PERSON_9> done");
        assertThat(seen.getFirst()).isEqualTo("Mail to ");
    }

    @Test
    void theDefaultTurnsSanitisingOnForSessionsWithoutTheirOwnSetting() {
        SessionPrivacy byDefault = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).sanitizeByDefault(true).build();
        assertThat(byDefault.isSanitizing(session.info())).isTrue();
        SessionPrivacy.disable(session);
        assertThat(byDefault.isSanitizing(session.info())).isFalse();
        SessionPrivacy.enable(session);
        assertThat(privacy.isSanitizing(session.info())).isTrue();
    }

    @Test
    void aSessionThatHasAVaultKeySanitisesEvenWhenTheDefaultIsOff() {
        SessionPrivacy byDefault = SessionPrivacy.builder(privacy.keyChain().ring()).sanitizeByDefault(true).build();
        PrivateTurns.turn(byDefault, session, "jane@example.com", "ok");
        assertThat(privacy.isSanitizing(session.info())).as("default off, but the session has a key").isTrue();
        assertThat(privacy.start(session).sanitise(Message.user("bob@example.org")).text()).isEqualTo("<EMAIL_2>");
    }

    @Test
    void aDisabledSessionStillRestoresThePlaceholdersItHas() {
        SessionPrivacy.enable(session);
        PrivateTurns.turn(privacy, session, "jane@example.com", "ok");
        SessionPrivacy.disable(session);
        PrivacyHook.Turn turn = privacy.start(session);
        assertThat(turn.sanitise(Message.user("bob@example.org")).text()).isEqualTo("bob@example.org");
        assertThat(turn.restore(Message.assistant("<EMAIL_1>")).text()).isEqualTo("jane@example.com");
    }

    @Test
    void twoTurnsThatBothFindNoKeyShareTheOneWrittenFirst() {
        SessionPrivacy.enable(session);
        PrivacyHook.Turn first = privacy.start(session);
        PrivacyHook.Turn second = privacy.start(session);
        first.sanitise(Message.user("jane@example.com"));
        String key = session.info().settings().get(SessionPrivacy.DATA_KEY_SETTING);
        second.sanitise(Message.user("bob@example.org"));
        assertThat(session.info().settings().get(SessionPrivacy.DATA_KEY_SETTING)).isEqualTo(key);
        PrivateTurns.append(session, first, List.of(Message.user("<EMAIL_1>")));
        assertThat(privacy.book(session).originalOf("<EMAIL_1>")).contains("jane@example.com");
    }

    @Test
    void aMalformedSettingIsAClearError() {
        session.parley().store().write(session.tenant(), session.id(), dev.parley.store.WriteRequest.builder(java.time.Instant.now())
                .patch(dev.parley.store.SessionPatch.settings(java.util.Map.of(SessionPrivacy.SANITIZE_SETTING, "yes"), java.util.Set.of()))
                .build());
        assertThatThrownBy(() -> privacy.start(session)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("privacy.sanitize='yes'").hasMessageContaining("true or false");
    }

    @Test
    void switchesFromConfigurationAcceptTheUsualSpellings() {
        assertThat(SessionPrivacy.parseSwitch("PARLEY_SANITIZE", "1")).isTrue();
        assertThat(SessionPrivacy.parseSwitch("PARLEY_SANITIZE", " On ")).isTrue();
        assertThat(SessionPrivacy.parseSwitch("PARLEY_SANITIZE", "false")).isFalse();
        assertThat(SessionPrivacy.parseSwitch("PARLEY_SANITIZE", null)).isFalse();
        assertThatThrownBy(() -> SessionPrivacy.parseSwitch("PARLEY_SANITIZE", "maybe"))
                .isInstanceOf(InvalidInputException.class).hasMessage("PARLEY_SANITIZE must be 1/0, true/false, yes/no or on/off, got 'maybe'");
    }
}
