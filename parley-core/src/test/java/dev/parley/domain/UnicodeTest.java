package dev.parley.domain;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A message holds only text every store and provider can keep: no unpaired surrogate, anywhere in it. */
class UnicodeTest {

    @Test
    void aMessageWithAnUnpairedSurrogateIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Message.user("bad \uD800 here")).isInstanceOf(InvalidInputException.class)
                .hasMessage("text holds an unpaired surrogate (U+D800 at index 4): text must be valid Unicode")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("text");
        assertThatThrownBy(() -> Message.user("ends high \uD83D")).hasMessageContaining("U+D83D at index 10");
        assertThatThrownBy(() -> Message.user("\uDE00 low first")).hasMessageContaining("U+DE00 at index 0");
        assertThatThrownBy(() -> new Message(Role.ASSISTANT, List.of(new Part.ToolCall("c1", "lookup", "{\"q\":\"\uDC00\"}")),
                null, Map.of())).hasMessageStartingWith("arguments holds an unpaired surrogate");
        assertThatThrownBy(() -> new Message(Role.USER, List.of(new Part.Text("hi")), null, Map.of("source", "\uD800")))
                .hasMessageStartingWith("metadata.source holds an unpaired surrogate");
    }

    @Test
    void pairedSurrogatesAndOtherTextPass() {
        assertThat(Message.user("emoji \uD83D\uDE00, accents é, CJK 漢字").text()).isEqualTo("emoji \uD83D\uDE00, accents é, CJK 漢字");
        assertThat(Unicode.unpairedSurrogate("")).isEqualTo(-1);
        assertThat(Unicode.unpairedSurrogate("\uD83D\uDE00\uD83D\uDE00")).isEqualTo(-1);
        assertThat(Unicode.unpairedSurrogate("\uD83D\uDE00\uD83D")).isEqualTo(2);
    }

    @Test
    void aPrefixNeverEndsInHalfAPair() {
        assertThat(Unicode.prefix("ab\uD83D\uDE00cd", 3)).isEqualTo("ab");
        assertThat(Unicode.prefix("ab\uD83D\uDE00cd", 4)).isEqualTo("ab\uD83D\uDE00");
        assertThat(Unicode.prefix("abc", 5)).isEqualTo("abc");
        assertThat(Unicode.prefix("abc", 0)).isEmpty();
    }
}
