package dev.parley;

import dev.parley.context.Context;
import dev.parley.context.ContextMessage;
import dev.parley.context.ContextPolicy;
import dev.parley.context.DeterministicSummariser;
import dev.parley.context.Summariser;
import dev.parley.context.Summary;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.store.WriteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionContinueTest {
    private final Parley parley = Parley.inMemory();

    @AfterEach
    void close() {
        parley.close();
    }

    private Session tutor() {
        return parley.create(SessionSpec.builder().id("old").user("alice").systemPrompt("You are a geography tutor.")
                .initialPrompt(Message.user("Answer in one sentence.")).metadata("title", "Lyon").modelDefault("model", "gpt-4o")
                .tokenBudget(50_000).build());
    }

    private static List<Message> whatSummarisersSee(List<List<Message>> calls) {
        assertThat(calls).hasSize(1);
        return calls.getFirst();
    }

    @Test
    void theNewSessionStartsFromTheSameInitialContextAndTheSummaryAndTheTwoAreLinked() {
        Session old = tutor();
        old.add(List.of(Message.user("Where is Lyon?"), Message.assistant("In France, on the Rhône.")));
        old.add(List.of(Message.user("Is it big?"), Message.assistant("The third city of France.")));
        List<Message> conversation = List.of(Message.user("Where is Lyon?"), Message.assistant("In France, on the Rhône."),
                Message.user("Is it big?"), Message.assistant("The third city of France."));
        String expected = new DeterministicSummariser().summarise(conversation).text();

        Session continued = old.summarizeAndContinue(new DeterministicSummariser());

        assertThat(continued.id()).isNotEqualTo(old.id());
        assertThat(continued.user()).isEqualTo(old.user());
        assertThat(continued.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.SYSTEM);
        assertThat(continued.messages()).extracting(Message::text).containsExactly("You are a geography tutor.",
                "Answer in one sentence.", "Summary of the previous conversation:\n" + expected);
        assertThat(continued.messages().getLast().metadata()).containsEntry("parley.continuedFrom", "old");
        assertThat(continued.metadata().all()).containsEntry("continuedFrom", "old").containsEntry("title", "Lyon")
                .doesNotContainKey("continuedIn");
        assertThat(continued.info().settings()).isEqualTo(old.info().settings());
        assertThat(old.metadata().get("continuedIn")).contains(continued.id().value());
        assertThat(old.messages()).hasSize(6);
    }

    @Test
    void theSummaryBelongsToTheInitialContextSoClearingAndEveryPolicyKeepIt() {
        Session old = tutor();
        old.add(List.of(Message.user("Where is Lyon?"), Message.assistant("In France.")));
        old.state().session().put("city", "Lyon");

        Session continued = old.summarizeAndContinue(new DeterministicSummariser(), SessionId.of("new"));
        continued.add(List.of(Message.user("And Marseille?"), Message.assistant("On the sea.")));
        Context context = continued.context(ContextPolicy.lastMessages(1), "gpt-4o");
        continued.clear();

        assertThat(context.messages()).filteredOn(m -> m.source() == ContextMessage.Source.INITIAL).hasSize(3);
        assertThat(context.toMessages().getLast().text()).isEqualTo("On the sea.");
        assertThat(continued.messages()).hasSize(3);
        assertThat(continued.messages().getLast().text()).startsWith("Summary of the previous conversation:\n");
        assertThat(continued.state().session().get("city", String.class)).contains("Lyon");
    }

    @Test
    void theSummariserGetsTheLatestSummaryFirstAndWholeToolCallGroups() {
        Session old = tutor();
        old.add(List.of(Message.user("How many people live in Lyon?"),
                Message.toolCalls(List.of(new Part.ToolCall("call_1", "population", "{\"city\":\"Lyon\"}"))),
                Message.toolResult("call_1", "522000"), Message.assistant("About 522,000.")));
        Context summarised = old.context(ContextPolicy.summarising(1, 0, new DeterministicSummariser()), "gpt-4o");
        parley.store().write(parley.tenant(), old.id(), WriteRequest.builder(parley.clock().instant())
                .append("main", List.of(summarised.summaryToAppend().orElseThrow())).build());
        old.add(List.of(Message.user("And Paris?"), Message.assistant("About 2.1 million.")));
        List<List<Message>> calls = new ArrayList<>();
        Summariser recording = messages -> {
            calls.add(messages);
            return new Summary("Lyon has about 522,000 people, Paris 2.1 million.");
        };

        old.summarizeAndContinue(recording);

        List<Message> seen = whatSummarisersSee(calls);
        assertThat(seen).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT);
        assertThat(seen.getFirst().text()).startsWith("Summary of the earlier conversation:\n").contains("population");
    }

    @Test
    void aToolCallWhoseResultIsMissingIsLeftOutRatherThanSentAlone() {
        Session old = tutor();
        old.add(List.of(Message.user("Weather?"), Message.toolCalls(List.of(new Part.ToolCall("c1", "weather", "{}")))));
        old.add(List.of(Message.user("Never mind. Where is Lyon?"), Message.assistant("In France.")));
        List<List<Message>> calls = new ArrayList<>();

        old.summarizeAndContinue(messages -> {
            calls.add(messages);
            return new Summary("Lyon is in France.");
        });

        assertThat(whatSummarisersSee(calls)).noneMatch(m -> !m.toolCalls().isEmpty());
    }

    @Test
    void aFailingSummariserWritesNothing() {
        Session old = tutor();
        old.add(List.of(Message.user("Where is Lyon?"), Message.assistant("In France.")));
        long version = old.version();

        assertThatThrownBy(() -> old.summarizeAndContinue(messages -> {
            throw new IllegalStateException("the model is down");
        })).hasMessage("the model is down");

        assertThat(old.version()).isEqualTo(version);
        assertThat(parley.list(null, null, 10).items()).hasSize(1);
    }

    @Test
    void aSessionWithNothingButItsInitialContextCannotBeContinued() {
        Session old = tutor();

        assertThatThrownBy(() -> old.summarizeAndContinue(new DeterministicSummariser()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("branch main of session old has no conversation after its initial context to summarise");
        assertThat(parley.list(null, null, 10).items()).hasSize(1);
        assertThat(old.metadata().get("continuedIn")).isEmpty();
    }

    @Test
    void aTakenIdIsAConflictAndTheOldSessionIsNotMarked() {
        Session old = tutor();
        old.add(List.of(Message.user("Where is Lyon?"), Message.assistant("In France.")));
        parley.create(SessionSpec.builder().id("taken").build());

        assertThatThrownBy(() -> old.summarizeAndContinue(new DeterministicSummariser(), SessionId.of("taken")))
                .isInstanceOf(ConflictException.class);
        assertThat(old.metadata().get("continuedIn")).isEmpty();
    }
}
