package dev.parley.models.ollama;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.models.ChatRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OLLAMA_HOST is read as Ollama's own client reads it, and a value it cannot use is an error naming it. */
class OllamaHostTest {

    @ParameterizedTest(name = "OLLAMA_HOST={0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "gpu-box                      | http://gpu-box:11434",
            "gpu-box:8080                 | http://gpu-box:8080",
            ":8080                        | http://127.0.0.1:8080",
            "0.0.0.0                      | http://0.0.0.0:11434",
            "http://gpu-box               | http://gpu-box:80",
            "https://ollama.example.com   | https://ollama.example.com:443",
            "https://example.com/ollama/  | https://example.com:443/ollama",
            "[::1]:11500                  | http://[::1]:11500",
            "::1                          | http://[::1]:11434",
            "'localhost:11434'            | http://localhost:11434"})
    void eachFormOfTheVariableBecomesAUrl(String value, String url) {
        assertThat(OllamaHost.toUrl(value)).isEqualTo(url);
    }

    @Test
    void aHostThatCannotBeUsedIsAnErrorNamingTheVariableWithoutRepeatingCredentials() {
        assertThatThrownBy(() -> OllamaHost.toUrl("gpu-box:99999")).isInstanceOf(InvalidInputException.class)
                .hasMessage("OLLAMA_HOST must be host[:port] or an http(s) URL (the port must be a number from 0 to 65535): 'gpu-box:99999'");
        assertThatThrownBy(() -> OllamaHost.toUrl("ftp://gpu-box")).hasMessageContaining("the scheme must be http or https");
        assertThatThrownBy(() -> OllamaHost.toUrl("http://admin:hunter2@gpu-box:11434"))
                .hasMessageContaining("must not carry credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void unsetTheAdapterTalksToTheLocalDefaultAndAnExplicitBaseUrlWins() {
        try (OllamaChatModel local = OllamaChatModel.builder().environment(Map.of()).build();
             OllamaChatModel fromEnv = OllamaChatModel.builder().environment(Map.of("OLLAMA_HOST", "gpu-box")).build();
             OllamaChatModel explicit = OllamaChatModel.builder().environment(Map.of("OLLAMA_HOST", "gpu-box"))
                     .baseUrl("https://ollama.com").build()) {
            assertThat(local.toString()).contains("http://127.0.0.1:11434");
            assertThat(fromEnv.toString()).contains("http://gpu-box:11434");
            assertThat(explicit.toString()).contains("https://ollama.com");
            assertThat(local.renderRequest(ChatRequest.of("llama3.2", List.of(Message.user("Hi")))))
                    .isEqualTo("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":false}");
        }
        assertThatThrownBy(() -> OllamaChatModel.builder().contextWindow(0)).hasMessage("contextWindow must be at least 1 token: 0");
    }
}
