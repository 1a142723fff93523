package dev.parley.models.chat;

import dev.parley.InvalidInputException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.context.Context;
import dev.parley.context.ContextMessage;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.models.ChatModel;
import dev.parley.models.ModelException;
import dev.parley.models.RetryPolicy;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeAnthropicServer;
import dev.parley.models.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSummariserTest {
    private static final List<Message> LYON = List.of(
            Message.user("How many people live in Lyon?"),
            Message.toolCalls(List.of(new Part.ToolCall("call_1", "population", "{\"city\":\"Lyon\"}"))),
            Message.toolResult("call_1", "522000"),
            Message.assistant("About 522,000 people."));

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final ChatModel openai = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
            .environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    private final Parley parley = Parley.inMemory();

    @AfterEach
    void close() {
        openai.close();
        server.close();
        parley.close();
    }

    private ModelSummariser summariser() {
        return ModelSummariser.builder(openai).model("gpt-4o-mini").maxTokens(300).build();
    }

    private static String userText(JsonNode request) {
        return request.at("/messages/1/content").asString();
    }

    @Test
    void theRequestIsTheFixedInstructionAndATranscriptWithToolCallsAsText() {
        server.replyText("  The user asked about Lyon; a tool gave 522,000 people.\n");

        String summary = summariser().summarise(LYON).text();

        assertThat(summary).isEqualTo("The user asked about Lyon; a tool gave 522,000 people.");
        JsonNode request = server.lastRequest().json();
        assertThat(request.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(request.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(request.has("tools")).isFalse();
        assertThat(request.path("messages")).hasSize(2);
        assertThat(request.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(request.at("/messages/0/content").asString()).isEqualTo(ModelSummariser.INSTRUCTION);
        assertThat(request.at("/messages/1/role").asString()).isEqualTo("user");
        assertThat(userText(request)).isEqualTo("""
                Summarise this conversation.

                USER: How many people live in Lyon?

                ASSISTANT calls tool population (call call_1) with {"city":"Lyon"}

                TOOL RESULT of population (call call_1): 522000

                ASSISTANT: About 522,000 people.""");
    }

    @Test
    void anEarlierSummaryIsMarkedAndFoldedIn() {
        server.replyText("Lyon: 522,000 people; Paris: 2.1 million.");
        Message earlier = Message.system("Summary of the earlier conversation:\nLyon has 522,000 people.")
                .withMetadata(Map.of("parley.summary", "3..6"));

        summariser().summarise(List.of(earlier, Message.user("And Paris?"), Message.assistant("About 2.1 million.")));

        assertThat(userText(server.lastRequest().json())).isEqualTo("""
                Summarise this conversation.

                EARLIER SUMMARY: Lyon has 522,000 people.

                USER: And Paris?

                ASSISTANT: About 2.1 million.""");
    }

    @Test
    void aResultWhoseCallWasSummarisedEarlierStillMakesAValidRequestForAStrictProvider() {
        try (FakeAnthropicServer anthropicServer = FakeAnthropicServer.start();
             ChatModel anthropic = AnthropicChatModel.builder().baseUrl(anthropicServer.baseUrl()).apiKey("sk-ant-test")
                     .environment(Map.of()).retryPolicy(RetryPolicy.none()).build()) {
            anthropicServer.replyText("A tool reported an error.");

            String summary = ModelSummariser.builder(anthropic).model("claude-haiku-4-5").build().summarise(List.of(
                    new Message(dev.parley.domain.Role.TOOL, List.of(new Part.ToolResult("gone", "timeout", true)), null, Map.of()),
                    Message.assistant("The weather service timed out.")))
                    .text();

            assertThat(summary).isEqualTo("A tool reported an error.");
            JsonNode request = anthropicServer.lastRequest().json();
            assertThat(request.path("system").toString()).contains("You condense conversations");
            assertThat(request.at("/messages/0/content").toString()).contains("TOOL ERROR of a tool (call gone): timeout");
            assertThat(request.path("max_tokens").asInt()).isEqualTo(ModelSummariser.DEFAULT_MAX_TOKENS);
        }
    }

    @Test
    void aModelErrorReachesTheCallerAsTheAdaptersTypedException() {
        server.replyProviderError(401, "invalid_api_key", "Incorrect API key provided");

        assertThatThrownBy(() -> summariser().summarise(LYON)).isInstanceOf(ModelException.AuthenticationFailed.class);
    }

    @Test
    void anEmptyReplyIsAMalformedResponseNotAnEmptySummary() {
        server.replyText("   ");

        assertThatThrownBy(() -> summariser().summarise(LYON)).isInstanceOf(ModelException.MalformedResponse.class)
                .hasMessageContaining("openai answered the summary request with no text");
    }

    @Test
    void nothingToSummariseAndABadConfigurationAreErrorsBeforeAnyCall() {
        assertThatThrownBy(() -> summariser().summarise(List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessage("there is nothing to summarise");
        assertThatThrownBy(() -> ModelSummariser.builder(openai).maxTokens(8)).isInstanceOf(InvalidInputException.class)
                .hasMessage("a summary needs maxTokens >= 16: 8");
        assertThatThrownBy(() -> ModelSummariser.builder(openai).model(" ")).isInstanceOf(InvalidInputException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aSummarisingChatAppendsTheModelsSummaryWithTheTurnAndNeverCutsAToolCallFromItsResult() {
        Session session = parley.create(SessionSpec.builder().user("alice").systemPrompt("You are a geography tutor.").build());
        session.add(LYON);
        session.add(List.of(Message.user("Is that a big city?"), Message.assistant("The third largest in France.")));
        // keepRecent 4 would end the kept window inside the tool-call group; the whole group is summarised instead
        ContextPolicy policy = ContextPolicy.summarising(40, 4, summariser());
        Chat chat = Chat.builder(session).model(openai).defaultModel("gpt-4o").policy(policy).build();
        server.replyText("Lyon has about 522,000 people (population tool).");
        server.replyText("Marseille is bigger.");

        TurnResult turn = chat.send("And Marseille?");

        assertThat(turn.text()).isEqualTo("Marseille is bigger.");
        assertThat(turn.appended()).extracting(Entry::kind)
                .containsExactly(EntryKind.SUMMARY, EntryKind.MESSAGE, EntryKind.MESSAGE);
        assertThat(((Payload.SummaryPayload) turn.appended().getFirst().payload()).text())
                .isEqualTo("Lyon has about 522,000 people (population tool).");
        String transcript = userText(server.requests().getFirst().json());
        assertThat(transcript).contains("USER: How many people live in Lyon?",
                "ASSISTANT calls tool population (call call_1)", "TOOL RESULT of population (call call_1): 522000");
        JsonNode sent = server.requests().get(1).json().path("messages");
        assertThat(sent).extracting(m -> m.path("role").asString())
                .containsExactly("system", "system", "assistant", "user", "assistant", "user");
        assertThat(sent.get(1).path("content").asString())
                .isEqualTo("Summary of the earlier conversation:\nLyon has about 522,000 people (population tool).");
        assertThat(sent.get(2).path("content").asString()).isEqualTo("About 522,000 people.");

        Context later = session.context(ContextPolicy.all(), "gpt-4o");
        assertThat(later.messages()).filteredOn(m -> m.source() == ContextMessage.Source.SUMMARY).singleElement()
                .satisfies(m -> assertThat(m.entry()).isEqualTo(turn.appended().getFirst().id()));
        assertThat(later.toMessages()).noneMatch(m -> !m.toolCalls().isEmpty() || !m.toolResults().isEmpty());
        assertThat(session.messages()).hasSize(9);
        assertThat(session.messages()).filteredOn(m -> !m.toolCalls().isEmpty()).hasSize(1);
    }

    @Test
    void summarizeAndContinueWithTheModelSeedsANewSessionThatTheNextTurnUses() {
        Session old = parley.create(SessionSpec.builder().id("lyon").user("alice").systemPrompt("You are a geography tutor.").build());
        old.add(LYON);
        server.replyText("Lyon has about 522,000 people.");
        server.replyText("Marseille has about 870,000.");

        Session continued = old.summarizeAndContinue(summariser());
        TurnResult turn = Chat.builder(continued).model(openai).defaultModel("gpt-4o").build().send("And Marseille?");

        assertThat(userText(server.requests().getFirst().json())).contains("TOOL RESULT of population (call call_1): 522000");
        assertThat(continued.metadata().get("continuedFrom")).contains("lyon");
        assertThat(old.metadata().get("continuedIn")).contains(continued.id().value());
        assertThat(turn.text()).isEqualTo("Marseille has about 870,000.");
        JsonNode sent = server.lastRequest().json().path("messages");
        assertThat(sent).extracting(m -> m.path("content").asString()).containsExactly("You are a geography tutor.",
                "Summary of the previous conversation:\nLyon has about 522,000 people.", "And Marseille?");
    }
}
