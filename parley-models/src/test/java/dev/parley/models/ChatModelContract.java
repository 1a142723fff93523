package dev.parley.models;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.testing.FakeProviderServer;
import dev.parley.models.testing.ScriptedReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every {@link ChatModel} adapter must do, checked against its provider's fake server. Each provider's test
 * subclasses this and says how to build its adapter and what its provider calls things.
 */
public abstract class ChatModelContract {
    protected static final String KEY = "sk-test-SECRET-0123456789abcdef";

    protected FakeProviderServer server;
    protected final RecordingSleeper sleeper = new RecordingSleeper();
    private final List<ChatModel> models = new ArrayList<>();

    protected abstract FakeProviderServer startServer();

    /** The adapter pointed at {@code baseUrl} with this key, timeout and retry policy. */
    protected abstract ChatModel build(String baseUrl, String apiKey, Duration timeout, RetryPolicy retry);

    /** The adapter configured only from these environment variables. */
    protected abstract ChatModel buildFromEnvironment(Map<String, String> environment);

    protected abstract String keyVariable();

    protected abstract String baseUrlVariable();

    protected abstract String modelName();

    /** The provider's error type for an overloaded or failing server, and its status. */
    protected abstract String unavailableType();

    protected abstract int unavailableStatus();

    /** The provider's error type for an invalid request (Gemini: {@code INVALID_ARGUMENT}). */
    protected String badRequestType() {
        return "invalid_request_error";
    }

    /** The status the provider answers a wrong key with (Gemini: 400 {@code API_KEY_INVALID}). */
    protected int wrongKeyStatus() {
        return 401;
    }

    /** Whether the adapter refuses to start without a key (a local Ollama needs none). */
    protected boolean keyRequired() {
        return true;
    }

    /**
     * Whether the provider's wire format carries tool-call ids. Gemini's and Ollama's do not: their adapters generate
     * ids and pair results with calls by function name, so a result whose call is missing cannot even be sent.
     */
    protected boolean callIdsOnTheWire() {
        return true;
    }

    /** Checks the ids the adapter gave calls scripted with these ids: the provider's own, by default. */
    protected void assertCallIds(List<Part.ToolCall> calls, String... scripted) {
        assertThat(calls).extracting(Part.ToolCall::id).containsExactly(scripted);
    }

    @BeforeEach
    void startFake() {
        server = startServer();
    }

    @AfterEach
    void stopFake() {
        models.forEach(ChatModel::close);
        server.close();
    }

    protected ChatModel model() {
        return model(Duration.ofSeconds(20), sleeper.policy(3));
    }

    protected ChatModel model(Duration timeout, RetryPolicy retry) {
        ChatModel model = build(server.baseUrl(), KEY, timeout, retry);
        models.add(model);
        return model;
    }

    protected ChatRequest request(Message... messages) {
        return ChatRequest.of(modelName(), List.of(messages));
    }

    private static Part.ToolCall call(String id, String name, String arguments) {
        return new Part.ToolCall(id, name, arguments);
    }

    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    // ---- plain and streamed replies ----------------------------------------------------------------

    @Test
    void aPlainReplyComesBackWithItsTextUsageFinishReasonAndModel() {
        server.replyText("Bonjour, Alice.").usage(21, 4);

        ChatResponse reply = model().chat(request(Message.system("Be brief."), Message.user("Say hello to Alice in French")));

        assertThat(reply.text()).isEqualTo("Bonjour, Alice.");
        assertThat(reply.message().role()).isEqualTo(Role.ASSISTANT);
        assertThat(reply.usage()).isEqualTo(new Usage(21, 4));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(reply.model()).isEqualTo(modelName());
        assertThat(server.lastRequest().json().path("stream").asBoolean(false)).isFalse();
    }

    @Test
    void streamedTextReachesTheHandlerBeforeTheReplyIsComplete() throws Exception {
        ScriptedReply.Gate gate = server.replyText("one two three four").pauseAfterFirstChunk();
        RecordingHandler handler = new RecordingHandler();

        ChatStream stream = model().stream(request(Message.user("Count")), handler);

        assertThat(handler.awaitFirstText()).as("first delta arrived").isTrue();
        assertThat(handler.texts()).containsExactly("one");
        assertThat(stream.result()).isNotDone();
        assertThat(handler.completed()).isNull();
        gate.open();
        ChatResponse reply = stream.await();
        assertThat(reply.text()).isEqualTo("one two three four");
        assertThat(handler.texts()).containsExactly("one", " two", " three", " four");
        assertThat(handler.events().getLast()).isEqualTo("complete");
        assertThat(server.lastRequest().streamed()).isTrue();
    }

    @Test
    void aStreamedReplyEqualsTheConcatenationOfItsDeltasAndReportsUsage() {
        server.replyText("The quick brown fox jumps over the lazy dog").usage(30, 9);
        RecordingHandler handler = new RecordingHandler();

        ChatResponse reply = model().stream(request(Message.user("A pangram, please")), handler).await();

        assertThat(handler.texts()).hasSizeGreaterThan(3);
        assertThat(reply.text()).isEqualTo(handler.joinedText()).isEqualTo("The quick brown fox jumps over the lazy dog");
        assertThat(reply.usage()).isEqualTo(new Usage(30, 9));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(handler.completed()).isEqualTo(reply);
    }

    // ---- tools ------------------------------------------------------------------------------------

    @Test
    void parallelToolCallsComeBackInOrderAndTheirResultsAreAccepted() {
        server.replyToolCalls(call("call_paris", "get_weather", "{\"city\":\"Paris\"}"),
                call("call_rome", "get_weather", "{\"city\":\"Rome\"}"));
        server.replyText("Paris 18°C, Rome 24°C.");
        ChatModel model = model();
        List<Message> history = new ArrayList<>(List.of(Message.user("Weather in Paris and Rome?")));

        ChatResponse calls = model.chat(request(history.toArray(Message[]::new)).withTools(List.of(WEATHER)));
        assertThat(calls.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertCallIds(calls.toolCalls(), "call_paris", "call_rome");
        assertThat(calls.toolCalls()).extracting(Part.ToolCall::arguments)
                .containsExactly("{\"city\":\"Paris\"}", "{\"city\":\"Rome\"}");

        String paris = calls.toolCalls().get(0).id();
        String rome = calls.toolCalls().get(1).id();
        history.add(calls.message());
        history.add(Message.toolResult(paris, "18°C"));
        history.add(Message.toolResult(rome, "24°C"));
        ChatResponse answer = model.chat(request(history.toArray(Message[]::new)).withTools(List.of(WEATHER)));

        assertThat(answer.text()).isEqualTo("Paris 18°C, Rome 24°C.");
        assertThat(server.requests()).hasSize(2);
        assertThat(server.lastRequest().body()).contains("18°C", "24°C");
        if (callIdsOnTheWire()) {
            assertThat(server.lastRequest().body()).contains(paris, rome);
        }
    }

    @Test
    void streamedToolCallsAreAssembledFromTheirFragmentsAndDeliveredWholeBeforeCompletion() {
        server.replyTextAndToolCalls("Checking.", call("call_a", "get_weather", "{\"city\":\"Oslo\",\"unit\":\"celsius\"}"),
                call("call_b", "get_weather", "{\"city\":\"Lima\"}"));
        RecordingHandler handler = new RecordingHandler();

        ChatResponse reply = model().stream(request(Message.user("Oslo and Lima?")).withTools(List.of(WEATHER)), handler).await();

        assertThat(reply.toolCalls()).extracting(Part.ToolCall::name, Part.ToolCall::arguments).containsExactly(
                tuple("get_weather", "{\"city\":\"Oslo\",\"unit\":\"celsius\"}"), tuple("get_weather", "{\"city\":\"Lima\"}"));
        assertCallIds(reply.toolCalls(), "call_a", "call_b");
        assertThat(handler.toolCalls()).isEqualTo(reply.toolCalls());
        assertThat(handler.events()).endsWith("tool:get_weather", "tool:get_weather", "complete");
        assertThat(reply.text()).isEqualTo("Checking.");
        assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    // ---- retries ----------------------------------------------------------------------------------

    @Test
    void aRateLimitIsRetriedAfterTheDelayTheProviderAskedFor() {
        server.replyRateLimited(2);
        server.replyText("done");

        ChatResponse reply = model().chat(request(Message.user("Hi")));

        assertThat(reply.text()).isEqualTo("done");
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(2));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void anUnavailableProviderIsRetriedWithExponentialBackoffUntilTheAttemptsRunOut() {
        for (int i = 0; i < 3; i++) {
            server.replyProviderError(unavailableStatus(), unavailableType(), "Overloaded");
        }

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi"))))
                .isInstanceOf(ModelException.ProviderUnavailable.class)
                .hasMessageContaining("HTTP " + unavailableStatus())
                .hasMessageContaining("Overloaded")
                .satisfies(e -> assertThat(((ModelException) e).isRetriable()).isTrue());
        assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void aBadRequestIsNeverRetried() {
        server.replyProviderError(400, badRequestType(), "Invalid value for 'model'");

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi"))))
                .isInstanceOf(ModelException.BadRequest.class)
                .hasMessageContaining("Invalid value for 'model'");
        assertThat(sleeper.delays()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aRetryAfterLongerThanThePolicysMaximumIsReturnedInsteadOfWaitedFor() {
        server.replyRateLimited(600);

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi"))))
                .isInstanceOfSatisfying(ModelException.RateLimited.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMinutes(10)));
        assertThat(sleeper.delays()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStreamThatFailsBeforeAnyTextIsRetried() {
        server.replyProviderError(unavailableStatus(), unavailableType(), "Overloaded");
        server.replyText("second time lucky");
        RecordingHandler handler = new RecordingHandler();

        ChatResponse reply = model().stream(request(Message.user("Hi")), handler).await();

        assertThat(reply.text()).isEqualTo("second time lucky");
        assertThat(handler.events()).doesNotContain("error");
        assertThat(sleeper.delays()).hasSize(1);
    }

    @Test
    void aStreamRetriedAfterAnErrorEventKeepsNothingOfTheFailedAttempt() {
        server.replyErrorInStream(unavailableType(), "Overloaded");
        server.replyToolCalls(call("call_ok", "get_weather", "{\"city\":\"Kyiv\"}"));

        ChatResponse reply = model().stream(request(Message.user("Kyiv?")).withTools(List.of(WEATHER)), delta -> { }).await();

        assertThat(reply.toolCalls()).extracting(Part.ToolCall::name, Part.ToolCall::arguments)
                .containsExactly(tuple("get_weather", "{\"city\":\"Kyiv\"}"));
        assertCallIds(reply.toolCalls(), "call_ok");
        assertThat(sleeper.delays()).hasSize(1);
    }

    // ---- timeouts, cancellation, malformed bodies ---------------------------------------------------

    @Test
    void aProviderSlowerThanTheTimeoutFailsWithTimeout() {
        server.replySlow(Duration.ofSeconds(20));

        assertThatThrownBy(() -> model(Duration.ofMillis(300), RetryPolicy.none()).chat(request(Message.user("Hi"))))
                .isInstanceOf(ModelException.Timeout.class)
                .hasMessageContaining("PT0.3S")
                .satisfies(e -> assertThat(((ModelException) e).isRetriable()).isTrue());
    }

    @Test
    void aStreamSlowerThanTheTimeoutFailsWithTimeout() {
        server.replySlow(Duration.ofSeconds(20));
        RecordingHandler handler = new RecordingHandler();

        ChatStream stream = model(Duration.ofMillis(300), RetryPolicy.none()).stream(request(Message.user("Hi")), handler);

        assertThatThrownBy(stream::await).isInstanceOf(ModelException.Timeout.class);
        assertThat(handler.error()).isInstanceOf(ModelException.Timeout.class);
        assertThat(handler.events()).containsExactly("error");
    }

    @Test
    void aStreamThatFallsSilentForLongerThanTheTimeoutFailsWithTimeoutAfterItsText() throws Exception {
        ScriptedReply.Gate gate = server.replyText("started but stalled").pauseAfterFirstChunk();
        RecordingHandler handler = new RecordingHandler();
        try {
            ChatStream stream = model(Duration.ofMillis(300), sleeper.policy(3)).stream(request(Message.user("Hi")), handler);

            assertThatThrownBy(stream::await).isInstanceOf(ModelException.Timeout.class).hasMessageContaining("sent nothing for PT0.3S");
            assertThat(handler.events()).containsExactly("text", "error");
            assertThat(sleeper.delays()).as("text was delivered, so no retry").isEmpty();
        } finally {
            gate.open();
        }
    }

    @Test
    void aCancelledStreamDeliversNothingMoreAndItsResultIsCancelled() throws Exception {
        ScriptedReply.Gate gate = server.replyText("never finished in full").pauseAfterFirstChunk();
        RecordingHandler handler = new RecordingHandler();
        ChatStream stream = model().stream(request(Message.user("Talk")), handler);
        assertThat(handler.awaitFirstText()).isTrue();

        stream.cancel();
        gate.open();

        assertThat(stream.isCancelled()).isTrue();
        assertThat(stream.result()).isCancelled();
        assertThatThrownBy(stream::await).isInstanceOf(CancellationException.class);
        assertThat(handler.events()).containsExactly("text");
        assertThat(handler.texts()).containsExactly("never");
    }

    @Test
    void aHandlerThatThrowsEndsTheStreamAndItsResultFailsWithTheHandlersException() {
        server.replyText("one two three");
        IllegalStateException bug = new IllegalStateException("bug in the handler");

        ChatStream stream = model().stream(request(Message.user("Hi")), delta -> {
            throw bug;
        });

        assertThatThrownBy(stream::await).isSameAs(bug);
    }

    @Test
    void aMalformedBodyIsAClearNonRetriableError() {
        server.replyMalformed();

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi"))))
                .isInstanceOf(ModelException.MalformedResponse.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("broken");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aMalformedStreamEndsWithAMalformedResponseError() {
        server.replyMalformed();
        RecordingHandler handler = new RecordingHandler();

        ChatStream stream = model().stream(request(Message.user("Hi")), handler);

        assertThatThrownBy(stream::await).isInstanceOf(ModelException.MalformedResponse.class).hasMessageContaining("not valid JSON");
        assertThat(handler.error()).isInstanceOf(ModelException.MalformedResponse.class);
    }

    // ---- keys and configuration --------------------------------------------------------------------

    @Test
    void theKeyNeverAppearsInExceptionMessagesLogLinesOrToString() {
        server.replyError(401, "{\"error\": {\"type\": \"authentication_error\", \"message\": \"Incorrect API key provided: "
                + KEY + "\"}}");
        server.replyProviderError(unavailableStatus(), unavailableType(), "Overloaded");
        server.replyText("ok");
        ChatModel model = model();

        try (LogCapture logs = LogCapture.start()) {
            Throwable failure = catchThrowable(() -> model.chat(request(Message.user("Hi"))));
            assertThat(failure).isInstanceOf(ModelException.AuthenticationFailed.class);
            assertThat(failure.getMessage()).contains("Incorrect API key provided: [redacted]").doesNotContain(KEY);
            assertThat(model.chat(request(Message.user("Hi"))).text()).isEqualTo("ok");
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(KEY));
        }
        assertThat(model.toString()).doesNotContain(KEY);
        assertThat(server.requests().getFirst().headers().toString()).contains(KEY);
    }

    @Test
    void aMissingKeyIsAnErrorNamingTheVariableUnlessTheProviderNeedsNone() {
        if (keyRequired()) {
            assertThatThrownBy(() -> buildFromEnvironment(Map.of()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(keyVariable());
        } else {
            server.replyText("no key needed");
            ChatModel model = buildFromEnvironment(Map.of(baseUrlVariable(), server.baseUrl()));
            models.add(model);

            assertThat(model.chat(request(Message.user("Hi"))).text()).isEqualTo("no key needed");
            assertThat(server.lastRequest().headers()).doesNotContainKey("authorization");
        }
    }

    @Test
    void theKeyAndTheEndpointComeFromTheEnvironmentVariablesOfTheProvidersSdk() {
        server.requireApiKey("env-key-123");
        server.replyText("configured");
        ChatModel model = buildFromEnvironment(Map.of(keyVariable(), "env-key-123", baseUrlVariable(), server.baseUrl()));
        models.add(model);

        assertThat(model.chat(request(Message.user("Hi"))).text()).isEqualTo("configured");
    }

    @Test
    void aWrongKeyIsAnAuthenticationFailureThatIsNotRetried() {
        server.requireApiKey("the-right-key");

        assertThatThrownBy(() -> model().chat(request(Message.user("Hi"))))
                .isInstanceOf(ModelException.AuthenticationFailed.class)
                .satisfies(e -> assertThat(((ModelException) e).status()).hasValue(wrongKeyStatus()));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aToolResultWithoutItsCallIsRejectedByTheStrictFakeOrByTheAdapterThatCannotNameIt() {
        List<Message> broken = List.of(Message.user("Hi"), Message.toolResult("call_missing", "orphan"));

        if (callIdsOnTheWire()) {
            assertThatThrownBy(() -> model().chat(ChatRequest.of(modelName(), broken)))
                    .isInstanceOf(ModelException.BadRequest.class)
                    .hasMessageContaining("call_missing");
        } else {
            assertThatThrownBy(() -> model().chat(ChatRequest.of(modelName(), broken)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("call_missing");
            assertThat(server.requests()).isEmpty();
        }
    }
}
