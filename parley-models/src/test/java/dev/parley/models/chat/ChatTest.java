package dev.parley.models.chat;

import dev.parley.BudgetExceededException;
import dev.parley.BudgetLimits;
import dev.parley.ConflictException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.ChatStream;
import dev.parley.models.ModelException;
import dev.parley.models.RetryPolicy;
import dev.parley.models.StreamHandler;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeAnthropicServer;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.ScriptedReply;
import dev.parley.models.tools.ToolRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTest {
    record City(String city) {
    }

    private final FakeOpenAiServer openaiServer = FakeOpenAiServer.start();
    private final FakeAnthropicServer anthropicServer = FakeAnthropicServer.start();
    private final ChatModel openai = OpenAiChatModel.builder().baseUrl(openaiServer.baseUrl()).apiKey("sk-test")
            .environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    private final ChatModel anthropic = AnthropicChatModel.builder().baseUrl(anthropicServer.baseUrl()).apiKey("sk-ant-test")
            .environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    private final Parley parley = Parley.builder().budgetLimits(new BudgetLimits(null, 50_000L, null)).build();
    private final Session session = parley.create(SessionSpec.builder().user("alice").systemPrompt("You are a geography tutor.").build());

    @AfterEach
    void close() {
        openai.close();
        anthropic.close();
        openaiServer.close();
        anthropicServer.close();
        parley.close();
    }

    private Chat.Builder chat() {
        return Chat.builder(session).model(openai).model(anthropic).defaultModel("gpt-4o");
    }

    private static List<Role> roles(Session s) {
        return s.messages().stream().map(Message::role).toList();
    }

    @Test
    void aTurnWithAToolCallOnOpenAiThenContinuesOnAnthropicWithOneHistory() {
        ToolRegistry tools = new ToolRegistry().register("population", "Population of a city", City.class,
                c -> c.city().equals("Lyon") ? 522_000 : 0);
        openaiServer.replyToolCalls(new Part.ToolCall("call_1", "population", "{\"city\":\"Lyon\"}")).usage(40, 10);
        openaiServer.replyText("About 522,000 people.").usage(60, 8);
        anthropicServer.replyText("Roughly half a million, yes.").usage(70, 9);
        Chat chat = chat().tools(tools).build();

        TurnResult first = chat.send("How many people live in Lyon?");
        TurnResult second = chat.send(TurnOptions.of("So about half a million?").provider("anthropic", "claude-sonnet-4-5"));

        assertThat(first.text()).isEqualTo("About 522,000 people.");
        assertThat(first.usage().inputTokens()).isEqualTo(100);
        assertThat(first.appended()).hasSize(4);
        assertThat(second.text()).isEqualTo("Roughly half a million, yes.");
        assertThat(second.provider()).isEqualTo("anthropic");
        assertThat(roles(session)).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT,
                Role.USER, Role.ASSISTANT);
        JsonNode sent = anthropicServer.lastRequest().json();
        assertThat(sent.path("system").asString()).isEqualTo("You are a geography tutor.");
        assertThat(sent.path("model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.path("messages").size()).isEqualTo(5);
        assertThat(sent.at("/messages/2/content/0/type").asString()).isEqualTo("tool_result");
        assertThat(session.analytics(dev.parley.analytics.PriceTable.empty()).modelCalls()).isEqualTo(2);
        assertThat(session.budget().usedByUser()).isEqualTo(100 + 18 + 70 + 9);
    }

    @Test
    void aFailedModelCallAppendsNothingAndReleasesTheBudget() {
        openaiServer.replyProviderError(400, "invalid_request_error", "bad things");
        Chat chat = chat().build();
        assertThatThrownBy(() -> chat.send("hello")).isInstanceOf(ModelException.BadRequest.class);
        assertThat(session.messages()).hasSize(1);
        assertThat(session.budget().usedByUser()).isZero();
    }

    /** {@code model}, noting the tokens {@code owner}'s user has used each time it is called. */
    private static ChatModel noting(ChatModel model, Session owner, List<Long> usedByUser) {
        return new ChatModel() {
            @Override
            public String provider() {
                return model.provider();
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                usedByUser.add(owner.budget().usedByUser());
                return model.chat(request);
            }

            @Override
            public ChatStream stream(ChatRequest request, StreamHandler handler) {
                usedByUser.add(owner.budget().usedByUser());
                return model.stream(request, handler);
            }
        };
    }

    @Test
    void aLimitedBudgetHoldsTheTurnsTokensWhileTheModelAnswersThenKeepsWhatWasUsed() {
        openaiServer.replyText("Hi.").usage(30, 5);
        List<Long> usedWhileAnswering = new CopyOnWriteArrayList<>();

        Chat.builder(session).model(noting(openai, session, usedWhileAnswering)).defaultModel("gpt-4o").build().send("hello");

        assertThat(usedWhileAnswering).singleElement().satisfies(used -> assertThat(used).isGreaterThan(1024));
        assertThat(session.budget().usedByUser()).isEqualTo(35);
    }

    @Test
    void withoutABudgetLimitATurnHoldsNothingBackAndStillRecordsWhatItUsed() {
        try (Parley unlimited = Parley.inMemory()) {
            Session open = unlimited.create(SessionSpec.builder().user("erin").build());
            openaiServer.replyText("Hi.").usage(30, 5);
            List<Long> usedWhileAnswering = new CopyOnWriteArrayList<>();

            Chat.builder(open).model(noting(openai, open, usedWhileAnswering)).defaultModel("gpt-4o").build().send("hello");

            assertThat(usedWhileAnswering).containsExactly(0L);
            assertThat(open.budget().usedBySession()).isEqualTo(35);
            assertThat(open.budget().usedByUser()).isEqualTo(35);
            assertThat(open.budget().usedByTenant()).isEqualTo(35);
        }
    }

    @Test
    void aTurnThatWouldOverspendIsRefusedBeforeTheModelIsCalled() {
        Session poor = parley.create(SessionSpec.builder().user("bob").tokenBudget(100).build());
        Chat chat = Chat.builder(poor).model(openai).defaultModel("gpt-4o").build();
        assertThatThrownBy(() -> chat.send("hello")).isInstanceOf(BudgetExceededException.class);
        assertThat(openaiServer.requests()).isEmpty();
        assertThat(poor.messages()).isEmpty();
    }

    @Test
    void streamingDeliversTextAsItArrivesAndAppendsTheWholeReplyAtTheEnd() {
        openaiServer.replyText("Lyon is on the Rhône and the Saône.");
        List<String> deltas = new CopyOnWriteArrayList<>();
        TurnResult result = chat().build().stream("Where is Lyon?", deltas::add).await();
        assertThat(deltas.size()).isGreaterThan(1);
        assertThat(String.join("", deltas)).isEqualTo("Lyon is on the Rhône and the Saône.");
        assertThat(result.text()).isEqualTo("Lyon is on the Rhône and the Saône.");
        assertThat(session.last(1)).extracting(Message::text).containsExactly("Lyon is on the Rhône and the Saône.");
        assertThat(openaiServer.lastRequest().streamed()).isTrue();
    }

    @Test
    void aCancelledStreamAppendsNothing() throws Exception {
        ScriptedReply.Gate gate = openaiServer.replyText("This will never be stored.").pauseAfterFirstChunk();
        TurnStream stream = chat().build().stream("Tell me", text -> { });
        assertThat(gate.awaitReached()).isTrue();
        stream.cancel();
        gate.open();
        assertThatThrownBy(stream::await).isInstanceOf(CancellationException.class);
        assertThat(session.messages()).hasSize(1);
    }

    @Test
    void twoConcurrentTurnsUnderRejectLetTheSecondConflictAndAppendNothing() throws Exception {
        ScriptedReply.Gate gate = openaiServer.replyText("slow reply").pauseAfterFirstChunk();
        openaiServer.replyText("fast reply");
        Chat chat = chat().build();
        TurnStream slow = chat.stream("first question", text -> { });
        assertThat(gate.awaitReached()).isTrue();
        chat.send("second question");
        gate.open();
        assertThatThrownBy(slow::await).isInstanceOf(ConflictException.class);
        assertThat(session.messages()).extracting(Message::text).containsExactly("You are a geography tutor.",
                "second question", "fast reply");
    }

    @Test
    void twoConcurrentTurnsUnderQueueRunOneAfterTheOther() throws Exception {
        ScriptedReply.Gate gate = openaiServer.replyText("reply one").pauseAfterFirstChunk();
        openaiServer.replyText("reply two");
        Chat chat = chat().admission(AdmissionPolicy.QUEUE).build();
        TurnStream first = chat.stream("question one", text -> { });
        assertThat(gate.awaitReached()).isTrue();
        CompletableFuture<TurnResult> second = CompletableFuture.supplyAsync(() -> chat.send("question two"));
        Thread.onSpinWait();
        gate.open();
        first.await();
        second.get(30, TimeUnit.SECONDS);
        assertThat(session.messages()).extracting(Message::text).containsExactly("You are a geography tutor.",
                "question one", "reply one", "question two", "reply two");
        assertThat(openaiServer.lastRequest().json().path("messages").size()).isEqualTo(4);
    }

    @Test
    void aTurnGivenTheSessionItsCallerJustReadDoesNotReadItAgain() {
        java.util.concurrent.atomic.AtomicInteger finds = new java.util.concurrent.atomic.AtomicInteger();
        dev.parley.store.SessionStore counting = countingFinds(new dev.parley.store.memory.InMemorySessionStore(), finds);
        try (Parley own = Parley.builder().store(counting).build()) {
            Session mine = own.create(SessionSpec.builder().user("alice").build());
            openaiServer.replyText("first");
            openaiServer.replyText("second");
            Chat chat = Chat.builder(mine).model(openai).defaultModel("gpt-4o").build();
            dev.parley.store.SessionSnapshot read = own.store().find(mine.tenant(), mine.id()).orElseThrow();

            finds.set(0);
            chat.send(TurnOptions.of("hello").knownSession(read));
            assertThat(finds).as("reads of the session row by a turn given it").hasValue(0);
            chat.send("again");
            assertThat(finds).as("reads of the session row by a turn not given it").hasValue(1);
            assertThat(mine.messages()).extracting(Message::text).containsExactly("hello", "first", "again", "second");
        }
    }

    @Test
    void aKnownSessionThatAnotherWriteHasOvertakenConflictsAndAppendsNothing() {
        var read = parley.store().find(session.tenant(), session.id()).orElseThrow();
        session.add(Message.user("meanwhile"));
        openaiServer.replyText("never stored");
        Chat chat = chat().build();

        assertThatThrownBy(() -> chat.send(TurnOptions.of("hello").knownSession(read)))
                .isInstanceOf(ConflictException.class);
        assertThat(session.messages()).extracting(Message::text).containsExactly("You are a geography tutor.", "meanwhile");
    }

    @Test
    void underQueueAnOvertakenKnownSessionIsReadAfreshAndTheTurnLands() {
        var read = parley.store().find(session.tenant(), session.id()).orElseThrow();
        session.add(Message.user("meanwhile"));
        openaiServer.replyText("wasted");
        openaiServer.replyText("kept");
        Chat chat = chat().admission(AdmissionPolicy.QUEUE).build();

        TurnResult result = chat.send(TurnOptions.of("hello").knownSession(read));

        assertThat(result.text()).isEqualTo("kept");
        assertThat(session.messages()).extracting(Message::text)
                .containsExactly("You are a geography tutor.", "meanwhile", "hello", "kept");
    }

    @Test
    void aKnownSessionOfAnotherSessionIsRefused() {
        Session other = parley.create(SessionSpec.builder().user("alice").build());
        var read = parley.store().find(other.tenant(), other.id()).orElseThrow();
        Chat chat = chat().build();
        assertThatThrownBy(() -> chat.send(TurnOptions.of("hello").knownSession(read)))
                .isInstanceOf(dev.parley.InvalidInputException.class)
                .hasMessageContaining("the known session is " + other.tenant() + "/" + other.id() + ", not this chat's session");
        assertThat(session.messages()).hasSize(1);
    }

    @Test
    void aTurnGivenThePathItsCallerJustReadBuildsTheSameContextFromItWithoutReadingThePath() {
        java.util.concurrent.atomic.AtomicInteger paths = new java.util.concurrent.atomic.AtomicInteger();
        dev.parley.store.SessionStore counting = counting(new dev.parley.store.memory.InMemorySessionStore(), "path", paths);
        try (Parley own = Parley.builder().store(counting).build()) {
            Session reads = own.create(SessionSpec.builder().user("alice").build());
            Session given = own.create(SessionSpec.builder().user("alice").build());
            for (Session s : List.of(reads, given)) {
                s.add(List.of(Message.system("Be brief."), Message.user("Capital of France?"), Message.assistant("Paris.")));
            }
            openaiServer.replyText("Rome.");
            openaiServer.replyText("Rome.");
            Chat.builder(reads).model(openai).defaultModel("gpt-4o").build().send("And of Italy?");
            JsonNode sentByTheTurnThatRead = openaiServer.lastRequest().json().path("messages");
            var read = own.store().find(given.tenant(), given.id()).orElseThrow();
            List<dev.parley.domain.Entry> path = own.store().path(given.tenant(), given.id(),
                    read.branch("main").orElseThrow().head(), Integer.MAX_VALUE);

            paths.set(0);
            Chat.builder(given).model(openai).defaultModel("gpt-4o").build()
                    .send(TurnOptions.of("And of Italy?").knownSession(read).knownPath(path));

            assertThat(paths).as("reads of the path by a turn given it").hasValue(0);
            assertThat(openaiServer.lastRequest().json().path("messages")).isEqualTo(sentByTheTurnThatRead);
            assertThat(given.messages()).extracting(Message::text)
                    .containsExactly("Be brief.", "Capital of France?", "Paris.", "And of Italy?", "Rome.");
        }
    }

    @Test
    void aKnownPathNeedsTheKnownSessionItWasReadWith() {
        List<dev.parley.domain.Entry> path = parley.store().path(session.tenant(), session.id(), session.head(), Integer.MAX_VALUE);

        assertThatThrownBy(() -> TurnOptions.of("hello").knownPath(path))
                .isInstanceOf(dev.parley.InvalidInputException.class)
                .hasMessage("a known path needs the known session it was read with");
    }

    /** {@code store}, counting its {@code find} calls. */
    private static dev.parley.store.SessionStore countingFinds(dev.parley.store.SessionStore store,
                                                               java.util.concurrent.atomic.AtomicInteger finds) {
        return counting(store, "find", finds);
    }

    /** {@code store}, counting its calls of {@code operation}. */
    private static dev.parley.store.SessionStore counting(dev.parley.store.SessionStore store, String operation,
                                                          java.util.concurrent.atomic.AtomicInteger calls) {
        return (dev.parley.store.SessionStore) java.lang.reflect.Proxy.newProxyInstance(ChatTest.class.getClassLoader(),
                new Class<?>[] {dev.parley.store.SessionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals(operation)) {
                        calls.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void twoConcurrentTurnsUnderBranchPutTheLaterOneOnANewBranch() throws Exception {
        ScriptedReply.Gate gate = openaiServer.replyText("slow reply").pauseAfterFirstChunk();
        openaiServer.replyText("fast reply");
        Chat chat = chat().admission(AdmissionPolicy.BRANCH).build();
        var head = session.head();
        TurnStream slow = chat.stream("first question", text -> { });
        assertThat(gate.awaitReached()).isTrue();
        chat.send("second question");
        gate.open();
        TurnResult branched = slow.await();
        assertThat(branched.branch()).isEqualTo("turn/" + head.value());
        assertThat(session.on(branched.branch()).messages()).extracting(Message::text)
                .containsExactly("You are a geography tutor.", "first question", "slow reply");
        assertThat(session.last(1)).extracting(Message::text).containsExactly("fast reply");
    }

    @Test
    void retryingATurnWithItsIdempotencyKeyDoesNotCallTheModelAgain() {
        openaiServer.replyText("once");
        Chat chat = chat().build();
        TurnResult first = chat.send(TurnOptions.of("hi").idempotencyKey("turn-1"));
        TurnResult again = chat.send(TurnOptions.of("hi").idempotencyKey("turn-1"));
        assertThat(again.text()).isEqualTo("once");
        assertThat(again.appended()).isEqualTo(first.appended());
        assertThat(openaiServer.requests()).hasSize(1);
        assertThat(session.messages()).hasSize(3);
    }

    @Test
    void oneHistoryIsRenderedForAnyProvider() {
        session.add(Message.user("Hi"));
        session.add(Message.assistant("Hello!"));
        Chat chat = chat().build();
        JsonNode forAnthropic = dev.parley.json.ParleyJson.parse(chat.messagesFor("anthropic", "claude-sonnet-4-5"), "rendered");
        assertThat(forAnthropic.path("system").asString()).isEqualTo("You are a geography tutor.");
        assertThat(forAnthropic.path("messages").size()).isEqualTo(2);
        JsonNode forOpenAi = dev.parley.json.ParleyJson.parse(chat.messagesFor("openai"), "rendered");
        assertThat(forOpenAi.path("messages").size()).isEqualTo(3);
        assertThatThrownBy(() -> chat.messagesFor("gemini")).hasMessageContaining("no model configured for provider 'gemini'");
    }
}
