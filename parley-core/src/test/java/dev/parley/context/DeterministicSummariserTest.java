package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeterministicSummariserTest {

    @Test
    void summarisesOneLinePerMessageWithToolCallsSpelledOut() {
        List<Message> messages = List.of(Message.user("book   a table\nfor two"), TestHistory.call("c1"), TestHistory.result("c1"),
                Message.assistant("done"));

        Summary summary = new DeterministicSummariser().summarise(messages);

        assertThat(summary.text()).isEqualTo("""
                user: book a table for two
                assistant: lookup({"q":"c1"})
                tool: result of c1
                assistant: done""");
        assertThat(new DeterministicSummariser().summarise(messages)).isEqualTo(summary);
    }

    @Test
    void keepsTheNewestLinesWhenTheSummaryWouldBeTooLong() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            messages.add(Message.user("message number " + i + " " + "x".repeat(70)));
        }

        Summary summary = new DeterministicSummariser(500).summarise(messages);

        assertThat(summary.text()).hasSizeLessThanOrEqualTo(500).startsWith("(").endsWith("x".repeat(10) + "…")
                .contains("message number 99").doesNotContain("message number 0 ");
    }

    @Test
    void aLineCutInsideAnEmojiDropsTheWholeEmojiSoTheSummaryIsAMessage() {
        // 79 characters, then an emoji whose two halves straddle the 80-character cut.
        Summary summary = new DeterministicSummariser().summarise(List.of(Message.user("y".repeat(79) + "\uD83D\uDE00 more")));

        assertThat(summary.text()).isEqualTo("user: " + "y".repeat(79) + "…");
        assertThat(Message.system(summary.text()).text()).isEqualTo(summary.text());
    }

    @Test
    void refusesNothingToSummariseAndATinyLimit() {
        assertThatThrownBy(() -> new DeterministicSummariser().summarise(List.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new DeterministicSummariser(10)).isInstanceOf(InvalidInputException.class)
                .hasMessage("maxChars must be >= 160: 10");
    }
}
