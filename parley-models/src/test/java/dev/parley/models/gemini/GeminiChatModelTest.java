package dev.parley.models.gemini;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
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
import dev.parley.models.testing.FakeGeminiServer;
import dev.parley.models.testing.FakeProviderServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiChatModelTest extends ChatModelContract {
    private static final ToolSpec SEARCH = new ToolSpec("search", "Search the docs",
            "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"],\"additionalProperties\":false}");

    @Override
    protected FakeProviderServer startServer() {
        return FakeGeminiServer.start();
    }

    @Override
    protected ChatModel build(String baseUrl, String apiKey, Duration timeout, RetryPolicy retry) {
        return GeminiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).timeout(timeout).retryPolicy(retry)
                .environment(Map.of()).build();
    }

    @Override
    protected ChatModel buildFromEnvironment(Map<String, String> environment) {
        return GeminiChatModel.builder().environment(environment).build();
    }

    @Override
    protected String keyVariable() {
        return "GEMINI_API_KEY";
    }

    @Override
    protected String baseUrlVariable() {
        return "GEMINI_BASE_URL";
    }

    @Override
    protected String modelName() {
        return "gemini-2.5-flash";
    }

    @Override
    protected String unavailableType() {
        return "UNAVAILABLE";
    }

    @Override
    protected int unavailableStatus() {
        return 503;
    }

    @Override
    protected String badRequestType() {
        return "INVALID_ARGUMENT";
    }

    @Override
    protected int wrongKeyStatus() {
        return 400;
    }

    @Override
    protected boolean callIdsOnTheWire() {
        return false;
    }

    @Override
    protected void assertCallIds(List<Part.ToolCall> calls, String... scripted) {
        assertThat(calls).hasSize(scripted.length);
        assertThat(calls).extracting(Part.ToolCall::id).allMatch(id -> id.matches("gemini-call-[0-9a-f]{16}")).doesNotHaveDuplicates();
    }

    private JsonNode sent() {
        return server.lastRequest().json();
    }

    private static Message assistant(Part... parts) {
        return new Message(Role.ASSISTANT, List.of(parts), null, Map.of());
    }

    @Test
    void theRequestGoesToTheModelsEndpointWithTheKeyInAHeaderAndTheSystemPromptAsSystemInstruction() {
        server.replyText("ok");

        model().chat(request(Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello"), Message.user("Bye")));

        assertThat(server.lastRequest().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(server.lastRequest().query()).isNull();
        assertThat(server.lastRequest().header("x-goog-api-key")).contains(KEY);
        assertThat(server.lastRequest().header("authorization")).isEmpty();
        assertThat(sent().path("systemInstruction").toString()).isEqualTo("{\"parts\":[{\"text\":\"Be brief.\"}]}");
        assertThat(sent().path("contents").toString()).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"Bye\"}]}]");
    }

    @Test
    void aStreamAsksStreamGenerateContentForServerSentEvents() {
        server.replyText("ok");

        model().stream(request(Message.user("Hi")), delta -> { }).await();

        assertThat(server.lastRequest().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(server.lastRequest().query()).isEqualTo("alt=sse");
        assertThat(server.lastRequest().header("accept")).contains("text/event-stream");
    }

    @Test
    void aModelNameThatCouldChangeThePathIsRejectedAndAResourcePrefixIsKept() {
        server.replyText("ok");

        model().chat(ChatRequest.of("models/gemini-2.5-flash", List.of(Message.user("Hi"))));

        assertThat(server.lastRequest().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThatThrownBy(() -> model().chat(ChatRequest.of("../files/x", List.of(Message.user("Hi")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'../files/x'");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void parametersAreRenderedAsGenerationConfig() {
        server.replyText("ok");
        ModelParams params = ModelParams.builder().temperature(1.5).topK(40).topP(0.8).maxTokens(300).stop("###", "END").build();

        model().chat(request(Message.user("Hi")).withParams(params));

        assertThat(sent().path("generationConfig").toString()).isEqualTo("{\"temperature\":1.5,\"topK\":40,\"topP\":0.8,"
                + "\"maxOutputTokens\":300,\"stopSequences\":[\"###\",\"END\"]}");
    }

    @Test
    void moreThanFiveStopSequencesAreRejectedBeforeAnythingIsSent() {
        ModelParams params = ModelParams.builder().stop("a", "b", "c", "d", "e", "f").build();

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi")).withParams(params)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("gemini accepts at most 5 stop sequences: 6");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void toolResultsArePairedWithTheirCallsByNameInOneUserTurnBeforeTheNextText() {
        server.replyToolCalls(new Part.ToolCall("x", "search", "{\"q\":\"a\"}"), new Part.ToolCall("y", "search", "{\"q\":\"b\"}"));
        server.replyText("Found both.");
        ChatModel model = model();
        List<Message> history = new ArrayList<>(List.of(Message.user("Search a and b")));
        ChatResponse calls = model.chat(request(history.toArray(Message[]::new)).withTools(List.of(SEARCH)));
        history.add(calls.message());
        history.add(Message.toolResult(calls.toolCalls().get(0).id(), "{\"hits\":3}"));
        history.add(new Message(Role.TOOL, List.of(new Part.ToolResult(calls.toolCalls().get(1).id(), "no such page", true)),
                null, Map.of()));
        history.add(Message.user("Summarise."));

        model.chat(request(history.toArray(Message[]::new)).withTools(List.of(SEARCH)));

        JsonNode contents = sent().path("contents");
        assertThat(contents.size()).isEqualTo(3);
        assertThat(contents.get(1).toString()).isEqualTo("{\"role\":\"model\",\"parts\":["
                + "{\"functionCall\":{\"name\":\"search\",\"args\":{\"q\":\"a\"}},\"thoughtSignature\":\"skip_thought_signature_validator\"},"
                + "{\"functionCall\":{\"name\":\"search\",\"args\":{\"q\":\"b\"}}}]}");
        assertThat(contents.get(2).toString()).isEqualTo("{\"role\":\"user\",\"parts\":["
                + "{\"functionResponse\":{\"name\":\"search\",\"response\":{\"hits\":3}}},"
                + "{\"functionResponse\":{\"name\":\"search\",\"response\":{\"error\":\"no such page\"}}},"
                + "{\"text\":\"Summarise.\"}]}");
        assertThat(sent().at("/tools/0/functionDeclarations/0").toString()).isEqualTo("{\"name\":\"search\","
                + "\"description\":\"Search the docs\",\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":"
                + "{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"],\"additionalProperties\":false}}");
    }

    @Test
    void aThoughtSignatureComesBackAsAnOpaquePartAndIsReplayedOnItsFunctionCallToTheSameModel() {
        server.replyToolCalls(new Part.ToolCall("x", "search", "{\"q\":\"x\"}")).withThinking("I should search.");
        server.replyText("x is 1.");
        ChatModel model = model();

        ChatResponse calls = model.chat(request(Message.user("Find x")).withTools(List.of(SEARCH)));
        assertThat(calls.message().parts()).hasSize(2);
        Part.Opaque signature = (Part.Opaque) calls.message().parts().getFirst();
        assertThat(signature.provider()).isEqualTo("gemini");
        assertThat(signature.model()).isEqualTo("gemini-2.5-flash");
        String issued = ParleyJson.parse(signature.json(), "signature").path("thoughtSignature").asString();
        assertThat(issued).isNotEmpty();
        assertThat(calls.message().parts().get(1)).isInstanceOf(Part.ToolCall.class);

        ChatResponse done = model.chat(request(Message.user("Find x"), calls.message(),
                Message.toolResult(calls.toolCalls().getFirst().id(), "1")).withTools(List.of(SEARCH)));

        assertThat(done.text()).isEqualTo("x is 1.");
        assertThat(sent().at("/contents/1/parts/0/thoughtSignature").asString()).isEqualTo(issued);
        assertThat(sent().at("/contents/1/parts/0/functionCall/name").asString()).isEqualTo("search");
    }

    @Test
    void aStreamedSignatureOnTheLastEmptyChunkStaysWithTheWholeTextAndIsReplayedOnIt() {
        server.replyText("one two three").withThinking("Count.");
        server.replyText("four");
        ChatModel model = model();

        ChatResponse first = model.stream(request(Message.user("Count")), delta -> { }).await();
        assertThat(first.message().parts()).hasSize(2);
        assertThat(first.message().parts().get(1)).isEqualTo(new Part.Text("one two three"));
        String issued = ParleyJson.parse(((Part.Opaque) first.message().parts().getFirst()).json(), "s").path("thoughtSignature").asString();

        model.chat(request(Message.user("Count"), first.message(), Message.user("More")));

        assertThat(sent().at("/contents/1/parts").toString())
                .isEqualTo("[{\"text\":\"one two three\",\"thoughtSignature\":\"" + issued + "\"}]");
    }

    @Test
    void signaturesAreDroppedForAnotherModelWhoseFunctionCallsGetThePlaceholderInstead() {
        server.replyToolCalls(new Part.ToolCall("x", "search", "{\"q\":\"x\"}")).withThinking("Plan.");
        server.replyText("Done on pro.");
        ChatModel model = model();
        ChatResponse calls = model.chat(request(Message.user("Find x")).withTools(List.of(SEARCH)));

        ChatResponse done = model.chat(ChatRequest.of("gemini-2.5-pro", List.of(Message.user("Find x"), calls.message(),
                Message.toolResult(calls.toolCalls().getFirst().id(), "1"))).withTools(List.of(SEARCH)));

        assertThat(done.text()).isEqualTo("Done on pro.");
        assertThat(sent().at("/contents/1/parts").toString()).isEqualTo("[{\"functionCall\":{\"name\":\"search\","
                + "\"args\":{\"q\":\"x\"}},\"thoughtSignature\":\"skip_thought_signature_validator\"}]");
    }

    @Test
    void theStrictFakeRejectsASignatureReplayedToAnotherModel() {
        server.replyToolCalls(new Part.ToolCall("x", "search", "{\"q\":\"x\"}")).withThinking("Plan.");
        ChatModel model = model();
        ChatResponse calls = model.chat(request(Message.user("Find x")).withTools(List.of(SEARCH)));
        Part.Opaque signature = (Part.Opaque) calls.message().parts().getFirst();
        Message forged = assistant(new Part.Opaque("gemini", "gemini-2.5-pro", signature.json()), calls.toolCalls().getFirst());

        assertThatThrownBy(() -> model.chat(ChatRequest.of("gemini-2.5-pro", List.of(Message.user("Find x"), forged,
                Message.toolResult(calls.toolCalls().getFirst().id(), "1"))).withTools(List.of(SEARCH))))
                .isInstanceOf(ModelException.BadRequest.class)
                .hasMessageContaining("Thought signature is not valid");
    }

    @Test
    void imagesTravelAsInlineDataOrAsFileDataWithTheirMediaType() {
        server.replyText("Two cats.");
        Message images = new Message(Role.USER, List.of(new Part.Text("Compare"),
                new Part.ImageRef("https://example.com/a.png", null),
                new Part.ImageRef("data:image/jpeg;base64,/9j/4AAQ", "image/jpeg")), null, Map.of());

        model().chat(request(images));

        assertThat(sent().at("/contents/0/parts").toString()).isEqualTo("[{\"text\":\"Compare\"},"
                + "{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"https://example.com/a.png\"}},"
                + "{\"inlineData\":{\"mimeType\":\"image/jpeg\",\"data\":\"/9j/4AAQ\"}}]");
    }

    @Test
    void anInputTokenCountAboveTheLimitIsContextLengthExceeded() {
        server.replyProviderError(400, "INVALID_ARGUMENT",
                "The input token count (1234567) exceeds the maximum number of tokens allowed (1048576).");

        assertThatThrownBy(() -> model().chat(request(Message.user("a very long prompt"))))
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("(HTTP 400, INVALID_ARGUMENT)");
    }

    @Test
    void anErrorInsideAStreamIsMappedByItsStatus() {
        server.replyErrorInStream("INVALID_ARGUMENT", "The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).");
        RecordingHandler handler = new RecordingHandler();

        assertThatThrownBy(() -> model().stream(request(Message.user("Hi")), handler).await())
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessageContaining("stream error, INVALID_ARGUMENT")
                .satisfies(e -> assertThat(((ModelException) e).status()).isEmpty());
        assertThat(handler.events()).containsExactly("error");
    }

    @Test
    void aMaxTokensStopIsLengthAndASafetyStopIsAContentFilter() {
        server.replyText("cut sh").finishReason("MAX_TOKENS");
        server.replyText("").finishReason("SAFETY");
        ChatModel model = model();

        ChatResponse cut = model.chat(request(Message.user("Long story")));
        ChatResponse withheld = model.stream(request(Message.user("Something unsafe")), delta -> { }).await();

        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(cut.rawFinishReason()).isEqualTo("MAX_TOKENS");
        assertThat(withheld.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(withheld.text()).isEmpty();
    }

    @Test
    void aBlockedPromptIsAnEmptyReplyStoppedByTheContentFilter() {
        server.replyError(200, "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":"
                + "{\"promptTokenCount\":7,\"totalTokenCount\":7},\"modelVersion\":\"gemini-2.5-flash\"}");

        ChatResponse reply = model().chat(request(Message.user("Something forbidden")));

        assertThat(reply.text()).isEmpty();
        assertThat(reply.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(reply.rawFinishReason()).isEqualTo("PROHIBITED_CONTENT");
        assertThat(reply.usage().inputTokens()).isEqualTo(7);
    }

    @Test
    void aFunctionCallIdThatGeminiDoesSendIsKept() {
        server.replyError(200, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":"
                + "{\"id\":\"fc-7\",\"name\":\"search\",\"args\":{\"q\":\"x\"}}}]},\"finishReason\":\"STOP\"}]}");

        ChatResponse reply = model().chat(request(Message.user("Find x")).withTools(List.of(SEARCH)));

        assertThat(reply.toolCalls()).containsExactly(new Part.ToolCall("fc-7", "search", "{\"q\":\"x\"}"));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }
}
