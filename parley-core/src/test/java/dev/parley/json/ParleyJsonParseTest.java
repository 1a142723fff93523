package dev.parley.json;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParleyJsonParseTest {

    @Test
    void brokenJsonIsRefusedSayingWhatAndWhereWithoutTheParsersNotes() {
        assertThatThrownBy(() -> ParleyJson.parse("{\"a\": 1", "state"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("state is not valid JSON: Unexpected end-of-input: expected close marker for Object (line 1, column 8)");
        assertThatThrownBy(() -> ParleyJson.parse("{\"a\":\n tru}", "state"))
                .hasMessageStartingWith("state is not valid JSON: Unrecognized token 'tru'")
                .hasMessageEndingWith("(line 2, column 2)")
                .hasMessageNotContaining("Source:");
    }

    @Test
    void emptyTextIsRefusedAsEmpty() {
        assertThatThrownBy(() -> ParleyJson.parse("", "state")).isInstanceOf(InvalidInputException.class)
                .hasMessage("state is empty");
    }

    @Test
    void anEscapedUnpairedSurrogateIsRefusedNamingWhereItIsAndAPairParses() {
        assertThatThrownBy(() -> ParleyJson.parse("{\"messages\": [{\"content\": \"ok\"}, {\"content\": \"a\\ud800b\"}]}", "body"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("body: messages[1].content holds an unpaired surrogate (U+D800 at index 1): text must be valid Unicode");
        assertThatThrownBy(() -> ParleyJson.parse("{\"\\uDC00\": 1}", "state"))
                .hasMessageContaining("low surrogate in property name"); // Jackson's own check, for names
        assertThat(ParleyJson.parse("{\"a\": \"\\ud83d\\ude00 \\u00e9\"}", "state").get("a").stringValue()).isEqualTo("\uD83D\uDE00 \u00e9");
    }

    @Test
    void validJsonParses() {
        assertThat(ParleyJson.parse("{\"a\": [1, 2]}", "state").at("/a/1").asInt()).isEqualTo(2);
    }
}
