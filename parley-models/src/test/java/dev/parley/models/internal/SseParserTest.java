package dev.parley.models.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {
    private static List<SseEvent> parse(String... lines) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        parser.flush().ifPresent(events::add);
        return events;
    }

    @Test
    void aByteOrderMarkBeginningTheStreamIsDroppedAndOnlyThere() {
        assertThat(parse("\uFEFFevent: message_start", "data: x", "", "\uFEFFdata: y", "", "data: z", ""))
                .containsExactly(new SseEvent("message_start", "x"), new SseEvent(null, "z"));
    }

    @Test
    void anEmptyLineEndsAnEventWithItsNameAndData() {
        assertThat(parse("event: message_start", "data: {\"a\":1}", "", "data: [DONE]", ""))
                .containsExactly(new SseEvent("message_start", "{\"a\":1}"), new SseEvent(null, "[DONE]"));
    }

    @Test
    void severalDataLinesAreJoinedByNewlinesAndTheSpaceAfterTheColonIsOptional() {
        assertThat(parse("data:first", "data: second", "")).containsExactly(new SseEvent(null, "first\nsecond"));
    }

    @Test
    void commentsIdsAndRetriesAreIgnoredAndANameWithoutDataIsNoEvent() {
        assertThat(parse(": keep-alive", "id: 7", "retry: 1000", "event: ping", "", "data: x", ""))
                .containsExactly(new SseEvent(null, "x"));
    }

    @Test
    void anEventNotTerminatedByAnEmptyLineIsStillDeliveredAtTheEnd() {
        assertThat(parse("event: message_stop", "data: {}")).containsExactly(new SseEvent("message_stop", "{}"));
    }
}
