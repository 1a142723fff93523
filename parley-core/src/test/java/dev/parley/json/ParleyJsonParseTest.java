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
    void validJsonParses() {
        assertThat(ParleyJson.parse("{\"a\": [1, 2]}", "state").at("/a/1").asInt()).isEqualTo(2);
    }
}
