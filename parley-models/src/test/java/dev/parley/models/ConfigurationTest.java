package dev.parley.models;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.openai.OpenAiChatModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builders check every setting as it is given, with messages that name it and never echo a secret. */
class ConfigurationTest {

    @Test
    void aBaseUrlMustBeHttpWithAHostAndCredentialsInItAreRefusedWithoutBeingRepeated() {
        assertThatThrownBy(() -> OpenAiChatModel.builder().baseUrl("ftp://example.com"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("http(s) URL").hasMessageContaining("ftp://example.com");
        assertThatThrownBy(() -> OpenAiChatModel.builder().baseUrl("https://user:sk-hidden@example.com/v1"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must not carry credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-hidden"));
        assertThatThrownBy(() -> AnthropicChatModel.builder().environment(Map.of("ANTHROPIC_BASE_URL", "not a url", "ANTHROPIC_API_KEY", "k")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ANTHROPIC_BASE_URL");
    }

    @Test
    void badKeysTimeoutsHeadersAndNamesAreRejected() {
        assertThatThrownBy(() -> OpenAiChatModel.builder().apiKey(" ")).hasMessage("OpenAI API key must not be blank");
        assertThatThrownBy(() -> OpenAiChatModel.builder().apiKey("sk bad")).hasMessage("OpenAI API key must be printable ASCII without spaces");
        assertThatThrownBy(() -> OpenAiChatModel.builder().timeout(Duration.ZERO)).hasMessage("timeout must be positive: PT0S");
        assertThatThrownBy(() -> OpenAiChatModel.builder().header("Host", "evil")).hasMessageContaining("header 'Host' cannot be set");
        assertThatThrownBy(() -> OpenAiChatModel.builder().providerName("Open AI")).hasMessageContaining("provider name must be");
        assertThatThrownBy(() -> AnthropicChatModel.builder().defaultMaxTokens(0)).hasMessage("defaultMaxTokens must be at least 1: 0");
        assertThatThrownBy(() -> AnthropicChatModel.builder().maxRetries(-1)).hasMessage("max retries must be between 0 and 99: -1");
    }

    @Test
    void theDefaultsAreTheProvidersOwnEndpoints() {
        try (OpenAiChatModel openai = OpenAiChatModel.builder().environment(Map.of("OPENAI_API_KEY", "sk-env")).build();
             AnthropicChatModel anthropic = AnthropicChatModel.builder().environment(Map.of("ANTHROPIC_API_KEY", "sk-env")).build()) {
            assertThat(openai.toString()).contains("https://api.openai.com/v1").doesNotContain("sk-env");
            assertThat(anthropic.toString()).contains("https://api.anthropic.com").doesNotContain("sk-env");
            assertThat(openai.renderRequest(ChatRequest.of("o3", List.of(Message.user("Hi")))
                    .withParams(ModelParams.builder().maxTokens(10).build()))).contains("\"max_completion_tokens\":10");
        }
    }

    @Test
    void aClosedModelRefusesNewCalls() {
        OpenAiChatModel model = OpenAiChatModel.builder().apiKey("sk").environment(Map.of()).build();
        model.close();

        assertThatThrownBy(() -> model.chat(ChatRequest.of("gpt-4o", List.of(Message.user("Hi")))))
                .isInstanceOf(IllegalStateException.class).hasMessage("openai: this model was closed");
    }
}
