package dev.parley.models.openai;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatModelContract;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;
import dev.parley.models.ModelParams;
import dev.parley.models.RetryPolicy;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.FakeProviderServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiChatModelTest extends ChatModelContract {

    @Override
    protected FakeProviderServer startServer() {
        return FakeOpenAiServer.start();
    }

    @Override
    protected ChatModel build(String baseUrl, String apiKey, Duration timeout, RetryPolicy retry) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).timeout(timeout).retryPolicy(retry)
                .environment(Map.of()).build();
    }

    @Override
    protected ChatModel buildFromEnvironment(Map<String, String> environment) {
        return OpenAiChatModel.builder().environment(environment).build();
    }

    @Override
    protected String keyVariable() {
        return "OPENAI_API_KEY";
    }

    @Override
    protected String baseUrlVariable() {
        return "OPENAI_BASE_URL";
    }

    @Override
    protected String modelName() {
        return "gpt-4o-mini";
    }

    @Override
    protected String unavailableType() {
        return "server_error";
    }

    @Override
    protected int unavailableStatus() {
        return 503;
    }

    private JsonNode sent() {
        return server.lastRequest().json();
    }

    @Test
    void theRequestCarriesTheBearerKeyTheModelAndTheMessagesInOpenAiForm() {
        server.replyText("ok");

        model().chat(request(Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello"), Message.user("Bye")));

        assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions");
        assertThat(server.lastRequest().header("authorization")).contains("Bearer " + KEY);
        assertThat(sent().path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(sent().path("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "{\"role\":\"user\",\"content\":\"Bye\"}]");
    }

    @Test
    void aReplyHoldingAnUnpairedSurrogateIsMalformedNotTheCallersFault() {
        // Escaped on the wire, so it reaches the parser intact; no session could keep it (it would become '?').
        server.replyError(200, "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"half an emoji \\ud83d\"},\"finish_reason\":\"stop\"}]}");

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi"))))
                .isInstanceOf(ModelException.MalformedResponse.class)
                .hasMessage("openai: the response holds text no session can keep: choices[0].message.content holds an unpaired "
                        + "surrogate (U+D83D at index 14): text must be valid Unicode");
    }

    @Test
    void aStreamedRequestAsksForUsageInTheLastChunk() {
        server.replyText("ok");

        model().stream(request(Message.user("Hi")), delta -> { }).await();

        assertThat(sent().path("stream").asBoolean()).isTrue();
        assertThat(sent().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void imagesAreSentAsImageUrlContentParts() {
        server.replyText("A cat.");
        Message withImage = new Message(Role.USER, List.of(new Part.Text("What is this?"),
                new Part.ImageRef("https://example.com/cat.png", "image/png"),
                new Part.ImageRef("data:image/png;base64,iVBORw0KGgo=", "image/png")), null, Map.of());

        model().chat(request(withImage));

        assertThat(sent().at("/messages/0/content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]");
    }

    @Test
    void parametersAreRenderedAndTopKIsDroppedBecauseOpenAiHasNone() {
        server.replyText("ok");
        ModelParams params = ModelParams.builder().temperature(0.2).topP(0.9).topK(40).maxTokens(256).stop("END", "STOP").build();

        model().chat(request(Message.user("Hi")).withParams(params));

        assertThat(sent().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent().path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent().path("max_tokens").asInt()).isEqualTo(256);
        assertThat(sent().has("max_completion_tokens")).isFalse();
        assertThat(sent().path("stop").toString()).isEqualTo("[\"END\",\"STOP\"]");
        assertThat(sent().has("top_k")).isFalse();
    }

    @Test
    void maxCompletionTokensAndTopKCanBeChosenForServersThatTakeThem() {
        server.replyText("ok");
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey(KEY).environment(Map.of())
                .maxCompletionTokens(true).forwardTopK(true).retryPolicy(RetryPolicy.none()).build();
        ModelParams params = ModelParams.builder().topK(40).maxTokens(256).build();

        try (model) {
            assertThatThrownBy(() -> model.chat(request(Message.user("Hi")).withParams(params)))
                    .as("the strict fake, like OpenAI, rejects top_k")
                    .isInstanceOf(ModelException.BadRequest.class)
                    .hasMessageContaining("Unrecognized request argument supplied: top_k");
        }
        assertThat(sent().path("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(sent().has("max_tokens")).isFalse();
        assertThat(sent().path("top_k").asInt()).isEqualTo(40);
    }

    @Test
    void reasoningOfACompatibleServerIsKeptAsAnOpaquePartAndReplayedOnlyToTheSameModel() {
        server.replyText("42").withReasoning("The user wants the answer.");
        server.replyText("again");
        server.replyText("other");
        ChatModel model = model();

        ChatResponse reply = model.chat(request(Message.user("Answer?")));
        assertThat(reply.message().parts()).containsExactly(
                new Part.Opaque("openai", "gpt-4o-mini", "{\"reasoning_content\":\"The user wants the answer.\"}"),
                new Part.Text("42"));

        List<Message> history = List.of(Message.user("Answer?"), reply.message(), Message.user("Sure?"));
        model.chat(ChatRequest.of("gpt-4o-mini", history));
        assertThat(sent().at("/messages/1/reasoning_content").asString()).isEqualTo("The user wants the answer.");
        assertThat(sent().at("/messages/1/content").asString()).isEqualTo("42");

        model.chat(ChatRequest.of("gpt-4.1", history));
        assertThat(sent().at("/messages/1").has("reasoning_content")).isFalse();
        assertThat(sent().at("/messages/1/content").asString()).isEqualTo("42");
    }

    @Test
    void streamedReasoningIsAssembledIntoOneOpaquePart() {
        server.replyText("Yes.").withReasoning("Let me think about it");

        ChatResponse reply = model().stream(request(Message.user("Well?")), delta -> { }).await();

        assertThat(reply.message().parts()).containsExactly(
                new Part.Opaque("openai", "gpt-4o-mini", "{\"reasoning_content\":\"Let me think about it\"}"),
                new Part.Text("Yes."));
    }

    @Test
    void opaquePartsOfAnotherProviderAreNeverSentToOpenAi() {
        server.replyText("ok");
        Message fromClaude = new Message(Role.ASSISTANT, List.of(
                new Part.Opaque("anthropic", "gpt-4o-mini", "{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"s\"}"),
                new Part.Text("Hello")), null, Map.of());

        model().chat(request(Message.user("Hi"), fromClaude, Message.user("Again")));

        assertThat(sent().at("/messages/1").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"Hello\"}");
    }

    @Test
    void withoutAKeyNoAuthorizationHeaderIsSentToALocalServer() {
        server.allowAnonymous();
        server.replyText("local");
        try (ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).withoutApiKey().providerName("ollama")
                .defaultModel("llama3.2").environment(Map.of()).build()) {

            ChatResponse reply = model.chat(new ChatRequest(null, List.of(Message.user("Hi")), List.of(), null));

            assertThat(reply.text()).isEqualTo("local");
            assertThat(model.provider()).isEqualTo("ollama");
        }
        assertThat(server.lastRequest().header("authorization")).isEmpty();
        assertThat(sent().path("model").asString()).isEqualTo("llama3.2");
    }

    @Test
    void aContextOverflowIsReportedAsContextLengthExceeded() {
        server.replyProviderError(400, "context_length_exceeded",
                "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.");

        assertThatThrownBy(() -> model().chat(request(Message.user("a very long prompt"))))
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("maximum context length is 128000");
    }

    @Test
    void anErrorObjectInsideAStreamIsMappedAndRetriedWhenNoTextWasDelivered() {
        server.replyErrorInStream("server_error", "The server had an error while processing your request.");
        server.replyErrorInStream("context_length_exceeded", "This model's maximum context length is 8192 tokens.");

        assertThatThrownBy(() -> model().stream(request(Message.user("Hi")), delta -> { }).await())
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("maximum context length is 8192");
        assertThat(sleeper.delays()).hasSize(1);
        assertThat(server.requests()).hasSize(2);
    }
}
