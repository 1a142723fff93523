package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.EntryId;
import dev.parley.domain.Role;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryRuleTest {
    private final HistoryRule rule = new HistoryRule();

    /** Messages written "u:hi", "a:hello", "t:42", "s:be brief" (role initial, then the text as a stand-in fingerprint). */
    private static List<HistoryRule.Unit> sent(String... messages) {
        List<HistoryRule.Unit> out = new ArrayList<>();
        for (String m : messages) {
            out.add(HistoryRule.Unit.sent(m, role(m)));
        }
        return out;
    }

    /** A path of one entry per message, entry ids 1, 2, 3 …; "u:*" is a redacted user message. */
    private static List<HistoryRule.Unit> path(String... messages) {
        List<HistoryRule.Unit> out = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            String m = messages[i];
            out.add(new HistoryRule.Unit(m.endsWith(":*") ? null : m, role(m), EntryId.of(i + 1), true));
        }
        return out;
    }

    private static Role role(String message) {
        return switch (message.charAt(0)) {
            case 'u' -> Role.USER;
            case 'a' -> Role.ASSISTANT;
            case 't' -> Role.TOOL;
            default -> Role.SYSTEM;
        };
    }

    @Test
    void aRequestWithoutAnAssistantMessageIsAllNew() {
        HistoryRule.Plan plan = rule.plan(sent("u:hi", "u:again"), path("u:hi", "a:hello"), 0, HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.DELTA, 0, null));
    }

    @Test
    void theWholeHistoryFollowedByNewMessagesAppendsOnlyTheNewOnes() {
        HistoryRule.Plan plan = rule.plan(sent("u:hi", "a:hello", "u:how are you"), path("s:be brief", "u:hi", "a:hello"), 1,
                HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.APPEND, 2, null));
    }

    @Test
    void anEditedEarlierTurnContinuesFromTheLastMessageThatStillMatches() {
        HistoryRule.Plan plan = rule.plan(sent("u:hi", "a:hello", "u:other question"),
                path("u:hi", "a:hello", "u:question", "a:answer"), 0, HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.EDIT, 2, EntryId.of(2)));
    }

    @Test
    void resendingTheHistoryWithoutItsLastReplyRegeneratesThatReply() {
        HistoryRule.Plan plan = rule.plan(sent("u:hi", "a:hello", "u:question"), path("u:hi", "a:hello", "u:question", "a:answer"),
                0, HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.EDIT, 3, EntryId.of(3)));
    }

    @Test
    void whenTheSameRunAppearsTwiceTheLatestOneWins() {
        HistoryRule.Plan plan = rule.plan(sent("u:ok", "a:ok", "u:next"), path("u:ok", "a:ok", "u:ok", "a:ok"), 0,
                HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.APPEND, 2, null));
    }

    @Test
    void aLongerRunWinsOverALaterShorterOne() {
        HistoryRule.Plan plan = rule.plan(sent("u:a", "a:b", "u:c", "a:d", "u:new"),
                path("u:a", "a:b", "u:c", "a:d", "u:x", "a:y", "u:a", "a:b"), 0, HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.EDIT, 4, EntryId.of(4)));
    }

    @Test
    void messagesThatMatchNothingAreAMismatch() {
        assertThatThrownBy(() -> rule.plan(sent("u:x", "a:y", "u:z"), path("u:hi", "a:hello"), 0, HistoryRule.Mode.AUTO))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("history_mismatch");
                });
    }

    @Test
    void aConversationBroughtToASessionHoldingOnlyItsInitialContextIsAllNew() {
        HistoryRule.Plan plan = rule.plan(sent("u:x", "a:y", "u:z"), path("s:be brief"), 1, HistoryRule.Mode.AUTO);

        assertThat(plan.kind()).isEqualTo(HistoryRule.Kind.DELTA);
    }

    @Test
    void aRedactedMessageStillLinesUpWithTheClientsCopyOfIt() {
        HistoryRule.Plan plan = rule.plan(sent("u:my card is 4111", "a:noted", "u:thanks"), path("u:*", "a:noted"), 0,
                HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.APPEND, 2, null));
    }

    @Test
    void aRunNeverEndsInsideAStoredMessageTheClientSeesAsSeveral() {
        List<HistoryRule.Unit> p = new ArrayList<>(path("u:go", "a:calls"));
        p.add(new HistoryRule.Unit("t:1", Role.TOOL, EntryId.of(3), false));
        p.add(new HistoryRule.Unit("t:2", Role.TOOL, EntryId.of(3), true));
        p.add(new HistoryRule.Unit("a:done", Role.ASSISTANT, EntryId.of(4), true));

        HistoryRule.Plan plan = rule.plan(sent("u:go", "a:calls", "t:1", "t:other"), p, 0, HistoryRule.Mode.AUTO);

        assertThat(plan).isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.EDIT, 2, EntryId.of(2)));
    }

    @Test
    void theHistoryHeaderOverridesTheDetection() {
        assertThat(rule.plan(sent("u:hi", "a:hello", "u:q"), path("u:hi", "a:hello"), 0, HistoryRule.Mode.DELTA).kind())
                .isEqualTo(HistoryRule.Kind.DELTA);
        assertThat(rule.plan(sent("u:hi"), path("u:hi", "a:hello"), 0, HistoryRule.Mode.FULL))
                .isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.EDIT, 1, EntryId.of(1)));
        assertThat(HistoryRule.Mode.of(null)).isEqualTo(HistoryRule.Mode.AUTO);
        assertThat(HistoryRule.Mode.of(" Full ")).isEqualTo(HistoryRule.Mode.FULL);
        assertThatThrownBy(() -> HistoryRule.Mode.of("partial")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("delta or full");
    }

    @Test
    void aHistoryTooRepetitiveToLineUpCheaplyIsRefusedRatherThanSearched() {
        String[] stored = new String[200];
        String[] resent = new String[101];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = i % 2 == 0 ? "u:ok" : "a:ok";
        }
        System.arraycopy(stored, 0, resent, 0, 100);
        resent[100] = "u:new";
        HistoryRule cheap = new HistoryRule(1_000);

        assertThatThrownBy(() -> cheap.plan(sent(resent), path(stored), 0, HistoryRule.Mode.AUTO))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("history_too_repetitive"));
        assertThat(rule.plan(sent(resent), path(stored), 0, HistoryRule.Mode.AUTO))
                .isEqualTo(new HistoryRule.Plan(HistoryRule.Kind.APPEND, 100, null));
    }
}
