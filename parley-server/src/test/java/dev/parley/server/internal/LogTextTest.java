package dev.parley.server.internal;

import dev.parley.domain.Unicode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void controlCharactersQuotesAndBackslashesAreEscaped() {
        assertThat(LogText.escape("a\nb\"c\\d")).isEqualTo("a\\u000ab\\u0022c\\u005cd");
        assertThat(LogText.escape(null)).isEmpty();
    }

    @Test
    void longTextIsCutWithoutSplittingACharacter() {
        String emojiAcrossTheCut = "x".repeat(199) + "\uD83D\uDE00" + "tail";
        String shown = LogText.escape(emojiAcrossTheCut);

        assertThat(shown).isEqualTo("x".repeat(199) + "…");
        assertThat(Unicode.unpairedSurrogate(shown)).isEqualTo(-1);
        assertThat(LogText.escape("y".repeat(198) + "\uD83D\uDE00" + "tail")).isEqualTo("y".repeat(198) + "\uD83D\uDE00…");
    }
}
