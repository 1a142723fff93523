package dev.parley.context;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextWindowsTest {

    @ParameterizedTest
    @CsvSource({
            "gpt-4o, 128000", "gpt-4o-2024-08-06, 128000", "gpt-4o-mini-2024-07-18, 128000", "GPT-4O, 128000",
            "openai/gpt-4o, 128000", "gpt-4, 8192", "gpt-4-0613, 8192", "gpt-4-32k, 32768", "gpt-4-turbo-2024-04-09, 128000",
            "gpt-4-1106-preview, 128000", "gpt-3.5-turbo-0125, 16385", "gpt-4.1, 1047576", "gpt-4.1-mini-2025-04-14, 1047576",
            "gpt-5, 400000", "gpt-5-2025-08-07, 400000", "gpt-5-nano, 400000", "gpt-5-chat-latest, 128000", "gpt-oss-20b, 131072",
            "o1, 200000", "o1-mini, 128000", "o3, 200000", "o3-mini-2025-01-31, 200000", "o4-mini, 200000",
            "claude-3-5-sonnet-20241022, 200000", "claude-3-7-sonnet-latest, 200000", "claude-sonnet-4-5@20250929, 200000",
            "claude-opus-4-1-20250805, 200000", "claude-haiku-4-5, 200000",
            "gemini-1.5-pro-002, 2097152", "gemini-2.5-pro-preview-06-05, 1048576", "models/gemini-2.0-flash, 1048576",
            "gemini-2.5-flash-lite, 1048576"})
    void knownModelsAndTheirSnapshotsHaveTheirDocumentedWindow(String model, int window) {
        assertThat(ContextWindows.of(model)).hasValue(window);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-5.1", "claude-sonnet-4-6", "gemini-3-pro-preview", "llama3.1:8b", "gpt-4o2", "o5", "my-finetune"})
    void newerVersionsAndUnknownModelsAreNotGuessed(String model) {
        assertThat(ContextWindows.of(model)).isEmpty();
    }

    @Test
    void requiringAnUnknownWindowNamesTheModelSafely() {
        assertThatThrownBy(() -> ContextWindows.require("evil\u0000model"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("no context window is known for model 'evil\\u0000model'; configure one with contextWindow(tokens)")
                .extracting("field").isEqualTo("context window");
        assertThatThrownBy(() -> ContextWindows.of("")).isInstanceOf(InvalidInputException.class).hasMessage("model is required");
    }
}
