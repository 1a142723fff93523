package dev.parley.models.gemini;

import dev.parley.InvalidInputException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Corners of the Gemini rendering, read from {@link GeminiChatModel#renderRequest}: nothing is sent. */
class GeminiRenderingTest {
    private static final String MODEL = "gemini-2.5-flash";
    private final GeminiChatModel model = GeminiChatModel.builder().apiKey("AIza-test").environment(Map.of())
            .defaultModel(MODEL).build();

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

    private static Part.Opaque gemini(String model, String json) {
        return new Part.Opaque("gemini", model, json);
    }

    @Test
    void severalSystemMessagesBecomeOneSystemInstructionInOrderAndEmptyPartsAreLeftOut() {
        JsonNode body = render(Message.system("Rule one."), Message.user("Hi"), Message.system("Rule two."), Message.system(""));

        assertThat(body.path("systemInstruction").toString()).isEqualTo("{\"parts\":[{\"text\":\"Rule one.\"},{\"text\":\"Rule two.\"}]}");
        assertThat(body.path("contents").toString()).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]");
        assertThat(body.has("generationConfig")).isFalse();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void anAssistantMessageLeftEmptyDisappearsAndItsNeighboursMergeIntoOneUserTurn() {
        JsonNode body = render(Message.user("One"),
                assistant(new Part.Opaque("openai", "gpt-4o", "{\"reasoning_content\":\"x\"}"), new Part.Text("")),
                Message.user("Two"));

        assertThat(body.path("contents").toString()).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"text\":\"One\"},{\"text\":\"Two\"}]}]");
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreWrappedAndPlainResultsAreWrappedAsResult() {
        JsonNode body = render(Message.user("Go"), assistant(new Part.ToolCall("c1", "f", "{\"broken\": "),
                new Part.ToolCall("c2", "g", "")), new Message(Role.TOOL, List.of(
                new Part.ToolResult("c1", "bad arguments", true), new Part.ToolResult("c2", "[1,2]", false)), null, Map.of()));

        assertThat(body.at("/contents/1/parts/0/functionCall").toString())
                .isEqualTo("{\"name\":\"f\",\"args\":{\"invalid_arguments\":\"{\\\"broken\\\": \"}}");
        assertThat(body.at("/contents/1/parts/1/functionCall").toString()).isEqualTo("{\"name\":\"g\",\"args\":{}}");
        assertThat(body.at("/contents/2/parts").toString()).isEqualTo("["
                + "{\"functionResponse\":{\"name\":\"f\",\"response\":{\"error\":\"bad arguments\"}}},"
                + "{\"functionResponse\":{\"name\":\"g\",\"response\":{\"result\":\"[1,2]\"}}}]");
    }

    @Test
    void aSignatureIsReplayedOnThePartAfterItAndWholeOpaquePartsVerbatimForTheSameModelOnly() {
        Message reply = assistant(gemini(MODEL, "{\"text\":\"Thinking about it\",\"thought\":true}"),
                gemini(MODEL, "{\"thoughtSignature\":\"c2ln\"}"), new Part.Text("Answer."),
                gemini(MODEL, "{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"print(1)\"}}"),
                gemini("gemini-2.5-pro", "{\"thoughtSignature\":\"b3RoZXI=\"}"), new Part.Text(" More."));

        JsonNode body = render(Message.user("Q"), reply, Message.user("Thanks"));

        assertThat(body.at("/contents/1/parts").toString()).isEqualTo("[{\"text\":\"Thinking about it\",\"thought\":true},"
                + "{\"text\":\"Answer.\",\"thoughtSignature\":\"c2ln\"},"
                + "{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"print(1)\"}},{\"text\":\" More.\"}]");
    }

    @Test
    void onlyTheFirstFunctionCallOfAForeignTurnGetsThePlaceholderSignature() {
        JsonNode body = render(Message.user("Go"), Message.toolCalls(List.of(new Part.ToolCall("call_1", "f", "{}"),
                new Part.ToolCall("call_2", "f", "{}"))), new Message(Role.TOOL, List.of(new Part.ToolResult("call_1", "a", false),
                new Part.ToolResult("call_2", "b", false)), null, Map.of()));

        assertThat(body.at("/contents/1/parts/0/thoughtSignature").asString()).isEqualTo(GeminiRequests.FOREIGN_SIGNATURE);
        assertThat(body.at("/contents/1/parts/1").has("thoughtSignature")).isFalse();
    }

    @Test
    void imagesThatGeminiCannotTakeAreRefusedWithAReason() {
        Message noType = new Message(Role.USER, List.of(new Part.ImageRef("https://example.com/picture", null)), null, Map.of());
        Message notBase64 = new Message(Role.USER, List.of(new Part.ImageRef("data:text/plain,hello", null)), null, Map.of());

        assertThatThrownBy(() -> render(noType)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("an image by URL needs its media type");
        assertThatThrownBy(() -> render(notBase64)).isInstanceOf(InvalidInputException.class).hasMessageContaining("base64");
    }

    @Test
    void aRequestWithoutAModelNeedsADefaultModel() {
        try (GeminiChatModel noDefault = GeminiChatModel.builder().apiKey("k").environment(Map.of()).build()) {
            assertThatThrownBy(() -> noDefault.renderRequest(new ChatRequest(null, List.of(Message.user("Hi")), null, null)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("names no model");
        }
    }

    @Test
    void theDefaultEndpointIsGooglesAndTheKeyNeverShows() {
        try (GeminiChatModel fromEnv = GeminiChatModel.builder().environment(Map.of("GEMINI_API_KEY", "AIza-env-secret")).build()) {
            assertThat(fromEnv.toString()).contains("https://generativelanguage.googleapis.com").doesNotContain("AIza-env-secret");
        }
        assertThatThrownBy(() -> GeminiChatModel.builder().environment(Map.of()).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Gemini API key is missing: set the GEMINI_API_KEY environment variable or call apiKey(...) on the builder");
    }
}
