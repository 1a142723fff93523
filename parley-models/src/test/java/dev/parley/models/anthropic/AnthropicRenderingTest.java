package dev.parley.models.anthropic;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatRequest;
import dev.parley.models.ModelParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Corners of the Anthropic rendering, read from {@link AnthropicChatModel#renderRequest}: nothing is sent. */
class AnthropicRenderingTest {
    private final AnthropicChatModel model = AnthropicChatModel.builder().apiKey("sk-ant").environment(Map.of())
            .defaultModel("claude-sonnet-4-5").build();

    @AfterEach
    void close() {
        model.close();
    }

    private JsonNode render(Message... messages) {
        return ParleyJson.parse(model.renderRequest(new ChatRequest(null, List.of(messages), List.of(), null)), "body");
    }

    private static Message assistant(Part... parts) {
        return new Message(Role.ASSISTANT, List.of(parts), null, Map.of());
    }

    @Test
    void severalSystemMessagesBecomeSystemTextBlocksInOrder() {
        JsonNode body = render(Message.system("Rule one."), Message.user("Hi"), Message.system("Rule two."));

        assertThat(body.path("system").toString())
                .isEqualTo("[{\"type\":\"text\",\"text\":\"Rule one.\"},{\"type\":\"text\",\"text\":\"Rule two.\"}]");
        assertThat(body.path("messages").size()).isEqualTo(1);
    }

    @Test
    void anAssistantMessageLeftEmptyByDroppedPartsDisappearsAndItsNeighboursMerge() {
        JsonNode body = render(Message.user("One"),
                assistant(new Part.Opaque("openai", "gpt-4o", "{\"reasoning_content\":\"x\"}"), new Part.Text("")),
                Message.user("Two"));

        assertThat(body.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"One\"},{\"type\":\"text\",\"text\":\"Two\"}]}]");
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreWrappedAndIdsAreReducedToTheAllowedCharacters() {
        JsonNode body = render(Message.user("Go"), assistant(new Part.ToolCall("call:1/a", "f", "{\"broken\": "),
                new Part.ToolCall("call_2", "g", "")), new Message(Role.TOOL, List.of(
                new Part.ToolResult("call:1/a", "bad arguments", true), new Part.ToolResult("call_2", "", false)), null, Map.of()));

        assertThat(body.at("/messages/1/content").toString()).isEqualTo("["
                + "{\"type\":\"tool_use\",\"id\":\"call_1_a\",\"name\":\"f\",\"input\":{\"invalid_arguments\":\"{\\\"broken\\\": \"}},"
                + "{\"type\":\"tool_use\",\"id\":\"call_2\",\"name\":\"g\",\"input\":{}}]");
        assertThat(body.at("/messages/2/content").toString()).isEqualTo("["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"call_1_a\",\"content\":\"bad arguments\",\"is_error\":true},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"call_2\"}]");
    }

    @Test
    void aDataUrlThatIsNotBase64IsRejected() {
        Message image = new Message(Role.USER, List.of(new Part.ImageRef("data:text/plain,hello", null)), null, Map.of());

        assertThatThrownBy(() -> render(image)).isInstanceOf(InvalidInputException.class).hasMessageContaining("base64");
    }

    @Test
    void theThinkingBudgetMustStayBelowMaxTokens() {
        ChatRequest request = ChatRequest.of("claude-sonnet-4-5", List.of(Message.user("Hi")))
                .withParams(ModelParams.builder().maxTokens(4096).build());
        try (AnthropicChatModel thinking = AnthropicChatModel.builder().apiKey("k").environment(Map.of()).thinkingBudgetTokens(4096).build()) {
            assertThatThrownBy(() -> thinking.renderRequest(request))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("anthropic: maxTokens (4096) must be larger than the thinking budget (4096)");
        }
        assertThatThrownBy(() -> AnthropicChatModel.builder().thinkingBudgetTokens(500))
                .hasMessage("the thinking budget must be at least 1024 tokens: 500");
    }

    @Test
    void aRequestWithoutAModelNeedsADefaultModel() {
        try (AnthropicChatModel noDefault = AnthropicChatModel.builder().apiKey("k").environment(Map.of()).build()) {
            assertThatThrownBy(() -> noDefault.renderRequest(new ChatRequest(null, List.of(Message.user("Hi")), null, null)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("names no model");
        }
    }
}
