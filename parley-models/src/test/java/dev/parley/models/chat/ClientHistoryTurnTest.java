package dev.parley.models.chat;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.ChatModel;
import dev.parley.models.RetryPolicy;
import dev.parley.models.ToolSpec;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.tools.ToolRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Turns for clients that keep their own copy of the conversation: several messages, an earlier parent, instructions, caller-run tools. */
class ClientHistoryTurnTest {
    record City(String city) {
    }

    private static final ToolSpec WEATHER = new ToolSpec("weather", "Weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");

    private final FakeOpenAiServer openaiServer = FakeOpenAiServer.start();
    private final ChatModel openai = OpenAiChatModel.builder().baseUrl(openaiServer.baseUrl()).apiKey("sk-test")
            .environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    private final Parley parley = Parley.builder().build();
    private final Session session = parley.create(SessionSpec.builder().user("alice").systemPrompt("Be brief.").build());

    @AfterEach
    void close() {
        openai.close();
        openaiServer.close();
        parley.close();
    }

    private Chat chat() {
        return Chat.builder(session).model(openai).defaultModel("gpt-4o").build();
    }

    private static List<String> texts(Session s) {
        return s.messages().stream().map(Message::text).toList();
    }

    @Test
    void instructionsAreSentFirstForThisCallAndNeverStored() {
        openaiServer.replyText("Bonjour.");

        chat().send(TurnOptions.of("Hello").instructions(List.of(Message.system("Answer in French."))));

        JsonNode sent = openaiServer.lastRequest().json();
        assertThat(sent.at("/messages/0/content").asString()).isEqualTo("Answer in French.");
        assertThat(sent.at("/messages/1/content").asString()).isEqualTo("Be brief.");
        assertThat(sent.at("/messages/2/content").asString()).isEqualTo("Hello");
        assertThat(texts(session)).containsExactly("Be brief.", "Hello", "Bonjour.");
    }

    @Test
    void aToolTheCallerRunsEndsTheTurnWithTheCallUnexecutedAndItsResultComesInTheNextTurn() {
        openaiServer.replyToolCalls(new Part.ToolCall("call_1", "weather", "{\"city\":\"Lyon\"}"));
        TurnResult asked = chat().send(TurnOptions.of("Weather in Lyon?").callerTools(List.of(WEATHER)));

        assertThat(asked.reply().toolCalls()).extracting(Part.ToolCall::name).containsExactly("weather");
        assertThat(openaiServer.lastRequest().json().at("/tools/0/function/name").asString()).isEqualTo("weather");
        assertThat(session.messages().getLast().toolCalls()).hasSize(1);

        openaiServer.replyText("Sunny, 24°C.");
        Message result = new Message(Role.TOOL, List.of(new Part.ToolResult("call_1", "sunny, 24", false)), null, Map.of());
        TurnResult answered = chat().send(TurnOptions.of(List.of(result, Message.user("And tomorrow?")))
                .callerTools(List.of(WEATHER)));

        assertThat(answered.text()).isEqualTo("Sunny, 24°C.");
        assertThat(answered.appended()).hasSize(3);
        assertThat(session.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT,
                Role.TOOL, Role.USER, Role.ASSISTANT);
        assertThat(openaiServer.lastRequest().json().at("/messages/3/role").asString()).isEqualTo("tool");
    }

    @Test
    void continuingFromAnEarlierEntryKeepsTheOldHeadAsACheckpointAndMovesTheBranch() {
        openaiServer.replyText("Paris.");
        openaiServer.replyText("Rome.");
        chat().send("Capital of France?");
        chat().send("Capital of Italy?");
        EntryId oldHead = session.head();
        EntryId firstReply = session.history().get(2).id();

        openaiServer.replyText("Madrid.");
        TurnResult edited = chat().send(TurnOptions.of("Capital of Spain?").from(firstReply));

        assertThat(edited.text()).isEqualTo("Madrid.");
        assertThat(texts(session)).containsExactly("Be brief.", "Capital of France?", "Paris.", "Capital of Spain?", "Madrid.");
        assertThat(session.checkpoints()).extracting(Checkpoint::entry).contains(oldHead);
        JsonNode sent = openaiServer.lastRequest().json();
        assertThat(sent.get("messages").size()).isEqualTo(4);
        assertThat(sent.at("/messages/3/content").asString()).isEqualTo("Capital of Spain?");
    }

    @Test
    void continuingFromAUserMessageWithNothingNewRegeneratesTheReply() {
        openaiServer.replyText("Paris.");
        chat().send("Capital of France?");
        Entry question = session.history().get(1);

        openaiServer.replyText("It is Paris.");
        chat().send(new TurnOptions(List.of(), null, null, null, null, null, question.id(), null, null));

        assertThat(texts(session)).containsExactly("Be brief.", "Capital of France?", "It is Paris.");
    }

    @Test
    void continuingFromAnEntryTheSessionDoesNotHaveIsNotFoundAndAppendsNothing() {
        assertThatThrownBy(() -> chat().send(TurnOptions.of("Hi").from(EntryId.of(999))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("999");
        assertThat(openaiServer.requests()).isEmpty();
        assertThat(texts(session)).containsExactly("Be brief.");
    }

    @Test
    void callerToolsCannotBeMixedWithTheChatsOwnTools() {
        ToolRegistry own = new ToolRegistry().register("population", "Population", City.class, c -> 1);
        Chat withTools = Chat.builder(session).model(openai).defaultModel("gpt-4o").tools(own).build();

        assertThatThrownBy(() -> withTools.send(TurnOptions.of("Hi").callerTools(List.of(WEATHER))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("population");
        assertThat(openaiServer.requests()).isEmpty();
    }

    @Test
    void aTurnNeedsAMessageUnlessItContinuesFromAnEntry() {
        assertThatThrownBy(() -> TurnOptions.of(List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs a message");
        assertThatThrownBy(() -> TurnOptions.of("Hi").instructions(List.of(Message.user("not a system message"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("system");
    }
}
