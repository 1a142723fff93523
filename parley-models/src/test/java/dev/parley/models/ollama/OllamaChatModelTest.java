package dev.parley.models.ollama;

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
import dev.parley.models.testing.FakeOllamaServer;
import dev.parley.models.testing.FakeProviderServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OllamaChatModelTest extends ChatModelContract {
    private static final ToolSpec SEARCH = new ToolSpec("search", "Search the docs",
            "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}");

    @Override
    protected FakeProviderServer startServer() {
        return FakeOllamaServer.start();
    }

    @Override
    protected ChatModel build(String baseUrl, String apiKey, Duration timeout, RetryPolicy retry) {
        return OllamaChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).timeout(timeout).retryPolicy(retry)
                .environment(Map.of()).build();
    }

    @Override
    protected ChatModel buildFromEnvironment(Map<String, String> environment) {
        return OllamaChatModel.builder().environment(environment).build();
    }

    @Override
    protected String keyVariable() {
        return "OLLAMA_API_KEY";
    }

    @Override
    protected String baseUrlVariable() {
        return "OLLAMA_HOST";
    }

    @Override
    protected String modelName() {
        return "llama3.2";
    }

    @Override
    protected String unavailableType() {
        return "server_busy";
    }

    @Override
    protected int unavailableStatus() {
        return 503;
    }

    @Override
    protected boolean keyRequired() {
        return false;
    }

    @Override
    protected boolean callIdsOnTheWire() {
        return false;
    }

    @Override
    protected void assertCallIds(List<Part.ToolCall> calls, String... scripted) {
        assertThat(calls).hasSize(scripted.length);
        assertThat(calls).extracting(Part.ToolCall::id).allMatch(id -> id.matches("ollama-call-[0-9a-f]{16}")).doesNotHaveDuplicates();
    }

    private JsonNode sent() {
        return server.lastRequest().json();
    }

    private ChatModel bare(String baseUrl) {
        return OllamaChatModel.builder().baseUrl(baseUrl).environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    }

    @Test
    void theRequestGoesToApiChatSayingItDoesNotStreamWithTheMessagesInOllamaForm() {
        server.replyText("ok");

        model().chat(request(Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello"), Message.user("Bye")));

        assertThat(server.lastRequest().path()).isEqualTo("/api/chat");
        assertThat(server.lastRequest().header("authorization")).contains("Bearer " + KEY);
        assertThat(sent().path("stream").isBoolean()).isTrue();
        assertThat(sent().path("stream").asBoolean()).isFalse();
        assertThat(sent().path("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "{\"role\":\"user\",\"content\":\"Bye\"}]");
    }

    @Test
    void aStreamIsReadAsJsonLinesAndTheRequestAsksForThem() {
        server.replyText("one two three").usage(5, 3);
        RecordingHandler handler = new RecordingHandler();

        ChatResponse reply = model().stream(request(Message.user("Count")), handler).await();

        assertThat(sent().path("stream").asBoolean()).isTrue();
        assertThat(server.lastRequest().header("accept")).contains("application/x-ndjson");
        assertThat(handler.texts()).containsExactly("one", " two", " three");
        assertThat(reply.usage().outputTokens()).isEqualTo(3);
    }

    @Test
    void aLocalServerNeedsNoKeyAndTheHostMayBeGivenAsHostAndPort() {
        server.replyText("local");
        String hostAndPort = server.baseUrl().substring("http://".length());
        try (ChatModel local = OllamaChatModel.builder().environment(Map.of("OLLAMA_HOST", hostAndPort)).build()) {

            assertThat(local.chat(request(Message.user("Hi"))).text()).isEqualTo("local");
        }
        assertThat(server.lastRequest().headers()).doesNotContainKey("authorization");
    }

    @Test
    void parametersAndTheContextWindowAreRenderedAsOptions() {
        server.replyText("ok");
        ModelParams params = ModelParams.builder().temperature(0.5).topK(40).topP(0.8).maxTokens(300).stop("###").build();
        try (ChatModel model = OllamaChatModel.builder().baseUrl(server.baseUrl()).environment(Map.of()).contextWindow(16_384).build()) {

            model.chat(request(Message.user("Hi")).withParams(params));
        }

        assertThat(sent().path("options").toString()).isEqualTo("{\"temperature\":0.5,\"top_k\":40,\"top_p\":0.8,"
                + "\"num_predict\":300,\"stop\":[\"###\"],\"num_ctx\":16384}");
    }

    @Test
    void toolCallsCarryTheirArgumentsAsObjectsAndEachResultNamesItsFunction() {
        server.replyToolCalls(new Part.ToolCall("x", "search", "{\"q\":\"a\"}"), new Part.ToolCall("y", "lookup", "{}"));
        server.replyText("Found both.");
        ChatModel model = model();
        ToolSpec lookup = new ToolSpec("lookup", "", "{\"type\":\"object\",\"properties\":{}}");
        List<Message> history = new ArrayList<>(List.of(Message.user("Search a")));
        ChatResponse calls = model.chat(request(history.toArray(Message[]::new)).withTools(List.of(SEARCH, lookup)));
        assertThat(calls.toolCalls()).extracting(Part.ToolCall::name).containsExactly("search", "lookup");
        history.add(calls.message());
        history.add(new Message(Role.TOOL, List.of(new Part.ToolResult(calls.toolCalls().get(0).id(), "3 hits", false),
                new Part.ToolResult(calls.toolCalls().get(1).id(), "nothing", true)), null, Map.of()));

        model.chat(request(history.toArray(Message[]::new)).withTools(List.of(SEARCH, lookup)));

        JsonNode messages = sent().path("messages");
        assertThat(messages.get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                + "{\"function\":{\"name\":\"search\",\"arguments\":{\"q\":\"a\"}}},{\"function\":{\"name\":\"lookup\",\"arguments\":{}}}]}");
        assertThat(messages.get(2).toString()).isEqualTo("{\"role\":\"tool\",\"content\":\"3 hits\",\"tool_name\":\"search\"}");
        assertThat(messages.get(3).toString()).isEqualTo("{\"role\":\"tool\",\"content\":\"nothing\",\"tool_name\":\"lookup\"}");
        assertThat(sent().at("/tools/1").toString()).isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"lookup\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}");
    }

    @Test
    void thinkingComesBackAsAnOpaquePartAndIsReplayedOnlyToTheSameModel() {
        server.replyText("Four.").withThinking("Two plus two is four.");
        server.replyText("Yes.");
        server.replyText("Sure.");
        ChatModel model = model();

        ChatResponse first = model.stream(request(Message.user("2+2?")), delta -> { }).await();
        assertThat(first.message().parts()).containsExactly(
                new Part.Opaque("ollama", "llama3.2", "{\"thinking\":\"Two plus two is four.\"}"), new Part.Text("Four."));
        assertThat(first.text()).isEqualTo("Four.");

        model.chat(request(Message.user("2+2?"), first.message(), Message.user("Sure?")));
        assertThat(sent().at("/messages/1").toString())
                .isEqualTo("{\"role\":\"assistant\",\"thinking\":\"Two plus two is four.\",\"content\":\"Four.\"}");

        model.chat(ChatRequest.of("qwen3", List.of(Message.user("2+2?"), first.message(), Message.user("Sure?"))));
        assertThat(sent().at("/messages/1").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"Four.\"}");
    }

    @Test
    void dataUrlImagesTravelAsBase64AndImagesByUrlAreRefusedBeforeSending() {
        server.replyText("A cat.");
        Message inline = new Message(Role.USER, List.of(new Part.Text("What is this?"),
                new Part.ImageRef("data:image/png;base64,iVBORw0KGgo=", "image/png")), null, Map.of());
        Message byUrl = new Message(Role.USER, List.of(new Part.ImageRef("https://example.com/cat.png", "image/png")), null, Map.of());
        ChatModel model = model();

        model.chat(request(inline));

        assertThat(sent().at("/messages/0").toString())
                .isEqualTo("{\"role\":\"user\",\"content\":\"What is this?\",\"images\":[\"iVBORw0KGgo=\"]}");
        assertThatThrownBy(() -> model.chat(request(byUrl))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data: URLs").hasMessageContaining("does not fetch images by URL");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aModelThatIsNotPulledIsABadRequestNamingItThatIsNotRetried() {
        server.replyError(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}");

        assertThatThrownBy(() -> model().chat(ChatRequest.of("llama9", List.of(Message.user("Hi")))))
                .isInstanceOf(ModelException.BadRequest.class)
                .hasMessage("ollama: not found (HTTP 404): model \"llama9\" not found, try pulling it first");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void anErrorLineAboutTheContextLengthFailsTheStreamWithContextLengthExceeded() {
        server.replyErrorInStream("ignored", "the input length exceeds the context length");
        RecordingHandler handler = new RecordingHandler();

        assertThatThrownBy(() -> model().stream(request(Message.user("Hi")), handler).await())
                .isInstanceOf(ModelException.ContextLengthExceeded.class)
                .hasMessage("ollama: the stream failed: the input length exceeds the context length");
        assertThat(handler.events()).containsExactly("error");
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void aLengthStopIsLengthAndToolCallsAreToolCallsThoughOllamaSaysStop() {
        server.replyText("cut sh").finishReason("length");
        server.replyToolCalls(new Part.ToolCall("x", "search", "{\"q\":\"a\"}"));
        ChatModel model = model();

        ChatResponse cut = model.chat(request(Message.user("Long story")));
        ChatResponse calls = model.stream(request(Message.user("Search")).withTools(List.of(SEARCH)), delta -> { }).await();

        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(calls.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(calls.rawFinishReason()).isEqualTo("stop");
    }

    @Test
    void theStrictFakeRefusesAToolNameThatAnswersNoCall() {
        ChatModel model = bare(server.baseUrl());
        try {
            List<Message> history = List.of(Message.user("Go"), Message.toolCalls(List.of(new Part.ToolCall("c1", "search", "{}"))),
                    Message.user("interrupting"), Message.toolResult("c1", "late"));

            assertThatThrownBy(() -> model.chat(request(history.toArray(Message[]::new))))
                    .isInstanceOf(ModelException.BadRequest.class)
                    .hasMessageContaining("a tool message must follow an assistant message with tool_calls");
        } finally {
            model.close();
        }
    }

    @Test
    void aToolCallIdAndTextArgumentsThatAnOllamaVersionSendsAreKept() {
        server.replyError(200, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                + "{\"id\":\"call_9\",\"function\":{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}}]},"
                + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":4,\"eval_count\":2}");

        ChatResponse reply = model().chat(request(Message.user("Find x")).withTools(List.of(SEARCH)));

        assertThat(reply.toolCalls()).containsExactly(new Part.ToolCall("call_9", "search", "{\"q\":\"x\"}"));
        assertThat(reply.usage().totalTokens()).isEqualTo(6);
    }
}
