package dev.parley.models.openai;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Corners of the OpenAI rendering, read from {@link OpenAiChatModel#renderRequest}: nothing is sent. */
class OpenAiRenderingTest {
    private final OpenAiChatModel model = OpenAiChatModel.builder().apiKey("sk").environment(Map.of()).defaultModel("gpt-4o").build();

    @AfterEach
    void close() {
        model.close();
    }

    private JsonNode messages(Message... messages) {
        return ParleyJson.parse(model.renderRequest(new ChatRequest(null, List.of(messages), List.of(), null)), "body").path("messages");
    }

    @Test
    void toolCallsWithoutTextHaveNullContentAndEachResultIsItsOwnToolMessage() {
        JsonNode out = messages(Message.user("Go"),
                Message.toolCalls(List.of(new Part.ToolCall("c1", "f", "{}"), new Part.ToolCall("c2", "g", "{\"x\":1}"))),
                new Message(Role.TOOL, List.of(new Part.ToolResult("c1", "one", false), new Part.ToolResult("c2", "two", true)),
                        null, Map.of()));

        assertThat(out.get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                + "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"x\\\":1}\"}}]}");
        assertThat(out.get(2).toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"one\"}");
        assertThat(out.get(3).toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"two\"}");
    }

    @Test
    void authorNamesAreSentOnlyWhenTheApiAcceptsThem() {
        JsonNode out = messages(Message.user("Hi").withName("alice_1"), Message.user("Hi").withName("Bob Smith"));

        assertThat(out.get(0).path("name").asString()).isEqualTo("alice_1");
        assertThat(out.get(1).has("name")).isFalse();
    }

    @Test
    void anAssistantMessageWithNothingForOpenAiIsLeftOut() {
        JsonNode out = messages(Message.user("One"), new Message(Role.ASSISTANT, List.of(
                new Part.Opaque("anthropic", "claude", "{\"type\":\"thinking\"}")), null, Map.of()), Message.user("Two"));

        assertThat(out.size()).isEqualTo(2);
    }
}
