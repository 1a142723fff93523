package dev.parley.models;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelParamsTest {

    @Test
    void outOfRangeParametersAreRejectedNamingTheParameterAndTheValue() {
        assertThatThrownBy(() -> ModelParams.builder().temperature(2.5).build())
                .isInstanceOf(InvalidInputException.class).hasMessage("temperature must be between 0.0 and 2.0: 2.5");
        assertThatThrownBy(() -> ModelParams.builder().temperature(Double.NaN).build())
                .hasMessage("temperature must be between 0.0 and 2.0: NaN");
        assertThatThrownBy(() -> ModelParams.builder().topK(0).build()).hasMessage("topK must be at least 1: 0");
        assertThatThrownBy(() -> ModelParams.builder().topP(1.01).build()).hasMessage("topP must be between 0.0 and 1.0: 1.01");
        assertThatThrownBy(() -> ModelParams.builder().maxTokens(0).build()).hasMessage("maxTokens must be at least 1: 0");
        assertThatThrownBy(() -> ModelParams.builder().stop(Arrays.asList("END", "")).build())
                .hasMessage("stop sequences must be non-empty strings: [END, ]");
    }

    @Test
    void perCallParametersFallBackToTheDefaultsFieldByField() {
        ModelParams defaults = ModelParams.builder().temperature(0.7).maxTokens(1000).stop("END").build();
        ModelParams call = ModelParams.builder().temperature(0.1).topK(5).build();

        ModelParams merged = call.withDefaults(defaults);

        assertThat(merged).isEqualTo(new ModelParams(0.1, 5, null, 1000, List.of("END")));
        assertThat(ModelParams.NONE.withDefaults(defaults)).isEqualTo(defaults);
        assertThat(merged.toBuilder().build()).isEqualTo(merged);
    }

    @Test
    void aRequestNeedsMessagesAndToolsWithDistinctNames() {
        ToolSpec tool = new ToolSpec("t", "", "{\"type\":\"object\"}");

        assertThatThrownBy(() -> ChatRequest.of("m", List.of())).hasMessage("a chat request needs at least one message");
        assertThatThrownBy(() -> ChatRequest.of(" ", List.of(Message.user("x"))))
                .hasMessage("model must not be blank (null means the adapter's default model)");
        assertThatThrownBy(() -> ChatRequest.of("m", List.of(Message.user("x"))).withTools(List.of(tool, tool)))
                .hasMessage("two tools are named 't'");
        assertThat(new ChatRequest(null, List.of(Message.user("x")), null, null).params()).isEqualTo(ModelParams.NONE);
    }

    @Test
    void aToolSpecNeedsAValidNameAndAnObjectSchemaWhichItKeepsCanonical() {
        assertThatThrownBy(() -> new ToolSpec("get weather", "", "{\"type\":\"object\"}"))
                .hasMessage("tool name must be 1-64 characters of [A-Za-z0-9_-]: 'get weather'");
        assertThatThrownBy(() -> new ToolSpec("w", "", "{\"type\":\"string\"}"))
                .hasMessageContaining("must be a JSON object schema");
        assertThatThrownBy(() -> new ToolSpec("w", "", "{not json"))
                .hasMessageContaining("is not valid JSON");
        assertThat(new ToolSpec("w", null, "{ \"type\" : \"object\" }").parametersSchema()).isEqualTo("{\"type\":\"object\"}");
    }
}
