package dev.parley.models.anthropic;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatModelContract;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.FinishReason;
import dev.parley.models.ModelException;
import dev.parley.models.ModelParams;
import dev.parley.models.RecordingHandler;
import dev.parley.models.RetryPolicy;
import dev.parley.models.ToolSpec;
import dev.parley.models.testing.FakeAnthropicServer;
import dev.parley.models.testing.FakeProviderServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicChatModelTest extends ChatModelContract {
    private static final ToolSpec SEARCH = new ToolSpec("search", "Search the docs",
            "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}");

    @Override
    protected FakeProviderServer startServer() {
        return FakeAnthropicServer.start();
    }

    @Override
    protected ChatModel build(String baseUrl, String apiKey, Duration timeout, RetryPolicy retry) {
        return AnthropicChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).timeout(timeout).retryPolicy(retry)
                .environment(Map.of()).build();
    }

    @Override
    protected ChatModel buildFromEnvironment(Map<String, String> environment) {
        return AnthropicChatModel.builder().environment(environment).build();
    }

    @Override
    protected String keyVariable() {
        return "ANTHROPIC_API_KEY";
    }

    @Override
    protected String baseUrlVariable() {
        return "ANTHROPIC_BASE_URL";
    }

    @Override
    protected String modelName() {
        return "claude-sonnet-4-5";
    }

    @Override
    protected String unavailableType() {
        return "overloaded_error";
    }

    @Override
    protected int unavailableStatus() {
        return 529;
    }

    private JsonNode sent() {
        return server.lastRequest().json();
    }

    private ChatModel thinkingModel() {
        return AnthropicChatModel.builder().baseUrl(server.baseUrl()).apiKey(KEY).environment(Map.of())
                .retryPolicy(RetryPolicy.none()).thinkingBudgetTokens(2048).defaultMaxTokens(8192).build();
    }

    @Test
    void theRequestCarriesTheKeyTheVersionTheDefaultMaxTokensAndTheSystemPromptAtTheTop() {
        server.replyText("ok");

        model().chat(request(Message.system("Be brief."), Message.user("Hi")));

        assertThat(server.lastRequest().path()).isEqualTo("/v1/messages");
        assertThat(server.lastRequest().header("x-api-key")).contains(KEY);
        assertThat(server.lastRequest().header("anthropic-version")).contains("2023-06-01");
        assertThat(server.lastRequest().header("authorization")).isEmpty();
        assertThat(sent().path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent().path("system").asString()).isEqualTo("Be brief.");
        assertThat(sent().path("messages").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]");
    }

    @Test
    void parametersAreRenderedWithAnthropicsNames() {
        server.replyText("ok");
        ModelParams params = ModelParams.builder().temperature(0.5).topK(40).topP(0.8).maxTokens(300).stop("###").build();

        model().chat(request(Message.user("Hi")).withParams(params));

        assertThat(sent().path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent().path("top_k").asInt()).isEqualTo(40);
        assertThat(sent().path("top_p").asDouble()).isEqualTo(0.8);
        assertThat(sent().path("max_tokens").asInt()).isEqualTo(300);
        assertThat(sent().path("stop_sequences").toString()).isEqualTo("[\"###\"]");
    }

    @Test
    void aTemperatureAboveOneIsRejectedBeforeAnythingIsSent() {
        ModelParams params = ModelParams.builder().temperature(1.5).build();

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi")).withParams(params)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("0.0 and 1.0: 1.5");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void severalToolResultsAndAFollowingUserTextBecomeOneUserMessageWithTheResultsFirst() {
        server.replyToolCalls(new Part.ToolCall("toolu_1", "search", "{\"q\":\"a\"}"), new Part.ToolCall("toolu_2", "search", "{\"q\":\"b\"}"));
        server.replyText("Found both.");
        ChatModel model = model();
        List<Message> history = new ArrayList<>(List.of(Message.user("Search a and b")));
        ChatResponse calls = model.chat(request(history.toArray(Message[]::new)).withTools(List.of(SEARCH)));
        history.add(calls.message());
        history.add(Message.toolResult("toolu_1", "result a"));
        history.add(new Message(Role.TOOL, List.of(new Part.ToolResult("toolu_2", "no such page", true)), null, Map.of()));
        history.add(Message.user("Summarise."));

        model.chat(request(history.toArray(Message[]::new)).withTools(List.of(SEARCH)));

        JsonNode messages = sent().path("messages");
        assertThat(messages.size()).isEqualTo(3);
        assertThat(messages.get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"search\",\"input\":{\"q\":\"a\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"search\",\"input\":{\"q\":\"b\"}}]}");
        assertThat(messages.get(2).toString()).isEqualTo("{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"result a\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"no such page\",\"is_error\":true},"
                + "{\"type\":\"text\",\"text\":\"Summarise.\"}]}");
        assertThat(sent().at("/tools/0").toString()).isEqualTo("{\"name\":\"search\",\"description\":\"Search the docs\","
                + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}}");
    }

    @Test
    void imagesByUrlAndDataUrlsBecomeUrlAndBase64Sources() {
        server.replyText("Two cats.");
        Message images = new Message(Role.USER, List.of(new Part.Text("Compare"),
                new Part.ImageRef("https://example.com/a.jpg", "image/jpeg"),
                new Part.ImageRef("data:image/png;base64,iVBORw0KGgo=", "image/png")), null, Map.of());

        model().chat(request(images));

        assertThat(sent().at("/messages/0/content/1").toString())
                .isEqualTo("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.jpg\"}}");
        assertThat(sent().at("/messages/0/content/2").toString()).isEqualTo(
                "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}");
    }

    @Test
    void thinkingBlocksComeBackAsOpaquePartsAndAreReplayedWithTheirSignatureToTheSameModel() {
        server.replyToolCalls(new Part.ToolCall("toolu_9", "search", "{\"q\":\"x\"}")).withThinking("I should search.");
        server.replyText("Done.");
        try (ChatModel model = thinkingModel()) {
            ChatResponse calls = model.chat(request(Message.user("Find x")).withTools(List.of(SEARCH)));
            assertThat(calls.message().parts().getFirst()).isInstanceOfSatisfying(Part.Opaque.class, opaque -> {
                assertThat(opaque.provider()).isEqualTo("anthropic");
                assertThat(opaque.model()).isEqualTo("claude-sonnet-4-5");
                assertThat(opaque.json()).contains("\"type\":\"thinking\"", "I should search.", "\"signature\"");
            });
            String issued = ((Part.Opaque) calls.message().parts().getFirst()).json();

            ChatResponse done = model.chat(request(Message.user("Find x"), calls.message(), Message.toolResult("toolu_9", "x is 1"))
                    .withTools(List.of(SEARCH)));

            assertThat(done.text()).isEqualTo("Done.");
            assertThat(sent().at("/thinking/budget_tokens").asInt()).isEqualTo(2048);
            assertThat(sent().at("/messages/1/content/0/type").asString()).isEqualTo("thinking");
            assertThat(issued).contains(sent().at("/messages/1/content/0/signature").asString());
        }
    }

    @Test
    void thinkingBlocksAreDroppedWhenTheHistoryGoesToAnotherModel() {
        server.replyText("First.").withThinking("Plan.");
        server.replyText("Second.");
        ChatModel model = model();
        try (ChatModel thinking = thinkingModel()) {
            ChatResponse first = thinking.chat(request(Message.user("One")));

            model.chat(ChatRequest.of("claude-haiku-4-5", List.of(Message.user("One"), first.message(), Message.user("Two"))));
        }

        assertThat(sent().at("/messages/1").toString())
                .isEqualTo("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"First.\"}]}");
    }

    @Test
    void theStrictFakeRejectsAThinkingBlockReplayedToAnotherModel() {
        server.replyText("First.").withThinking("Plan.");
        try (ChatModel thinking = thinkingModel()) {
            ChatResponse first = thinking.chat(request(Message.user("One")));
            Part.Opaque opaque = (Part.Opaque) first.message().parts().getFirst();
            Message forged = new Message(Role.ASSISTANT, List.of(new Part.Opaque("anthropic", "claude-haiku-4-5", opaque.json()),
                    new Part.Text("First.")), null, Map.of());

            assertThatThrownBy(() -> thinking.chat(ChatRequest.of("claude-haiku-4-5", List.of(Message.user("One"), forged,
                    Message.user("Two"))))).isInstanceOf(ModelException.BadRequest.class)
                    .hasMessageContaining("Invalid `signature` in `thinking` block");
        }
    }

    @Test
    void streamedThinkingAndToolInputAreAssembledFromTheirDeltas() {
        server.replyTextAndToolCalls("Let me look.", new Part.ToolCall("toolu_s", "search", "{\"q\":\"streams\"}"))
                .withThinking("Think about streams");
        RecordingHandler handler = new RecordingHandler();
        try (ChatModel model = thinkingModel()) {
            ChatResponse reply = model.stream(request(Message.user("Go")).withTools(List.of(SEARCH)), handler).await();

            assertThat(reply.message().parts()).hasSize(3);
            assertThat(((Part.Opaque) reply.message().parts().get(0)).json())
                    .contains("\"thinking\":\"Think about streams\"", "\"signature\":\"");
            assertThat(reply.message().parts().get(1)).isEqualTo(new Part.Text("Let me look."));
            assertThat(reply.message().parts().get(2)).isEqualTo(new Part.ToolCall("toolu_s", "search", "{\"q\":\"streams\"}"));
            assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
            assertThat(handler.joinedText()).isEqualTo("Let me look.");
        }
    }

    @Test
    void aPromptTooLongIsReportedAsContextLengthExceeded() {
        server.replyProviderError(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum");

        assertThatThrownBy(() -> model().chat(request(Message.user("a very long prompt"))))
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("prompt is too long");
    }

    @Test
    void anOverloadedErrorEventInsideAStreamIsRetriedWhenNoTextWasDelivered() {
        server.replyErrorInStream("overloaded_error", "Overloaded");
        server.replyText("recovered");

        assertThat(model().stream(request(Message.user("Hi")), delta -> { }).await().text()).isEqualTo("recovered");
        assertThat(sleeper.delays()).hasSize(1);
    }

    @Test
    void anErrorEventInsideAStreamIsMappedByItsType() {
        server.replyErrorInStream("invalid_request_error", "prompt is too long: 300000 tokens > 200000 maximum");
        RecordingHandler handler = new RecordingHandler();

        assertThatThrownBy(() -> model().stream(request(Message.user("Hi")), handler).await())
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("stream error, invalid_request_error")
                .satisfies(e -> assertThat(((ModelException) e).status()).isEmpty());
        assertThat(handler.events()).containsExactly("error");
    }
}
