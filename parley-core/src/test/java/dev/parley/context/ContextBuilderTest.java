package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.store.SessionStore;
import dev.parley.tokens.MessageTokens;
import dev.parley.tokens.Tokenizer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static dev.parley.context.TestHistory.call;
import static dev.parley.context.TestHistory.result;
import static dev.parley.context.TestHistory.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextBuilderTest {

    private static TestHistory conversation() {
        TestHistory h = new TestHistory("conv", List.of(Message.system("be brief"), Message.user("example q"),
                Message.assistant("example a")));
        h.add(Message.user("u1"), Message.assistant("a1"), Message.user("u2"), Message.assistant("a2"));
        return h;
    }

    @Test
    void allSendsTheInitialContextAndTheWholeHistoryInOrder() {
        Context context = conversation().build(ContextPolicy.all());

        assertThat(texts(context)).containsExactly("be brief", "example q", "example a", "u1", "a1", "u2", "a2");
        assertThat(context.messages()).extracting(ContextMessage::source).startsWith(
                ContextMessage.Source.INITIAL, ContextMessage.Source.INITIAL, ContextMessage.Source.INITIAL,
                ContextMessage.Source.HISTORY);
        assertThat(context.truncated()).isFalse();
        assertThat(context.omittedMessages()).isZero();
    }

    @Test
    void eachMessageCountsItsTextPlusFramingAndTheTotalAddsTheReplyPriming() {
        Context context = conversation().build(ContextPolicy.all());

        // chars tokenizer: "u1" is 2 tokens, OpenAI framing adds 4 per message and 3 per request
        assertThat(context.messages().get(3).tokens()).isEqualTo(2 + 4);
        int texts = List.of("be brief", "example q", "example a", "u1", "a1", "u2", "a2").stream().mapToInt(String::length).sum();
        assertThat(context.totalTokens()).isEqualTo(texts + 7 * 4 + 3);
    }

    @Test
    void lastMessagesKeepsTheInitialContextAndTheNewestMessages() {
        Context context = conversation().build(ContextPolicy.lastMessages(2));

        assertThat(texts(context)).containsExactly("be brief", "example q", "example a", "u2", "a2");
        assertThat(context.truncated()).isTrue();
        assertThat(context.omittedMessages()).isEqualTo(2);
    }

    @Test
    void lastMessagesDoesNotCountTheRequest() {
        TestHistory h = conversation();
        Context context = h.build(ContextPolicy.lastMessages(1), List.of(Message.user("now")));

        assertThat(texts(context)).containsExactly("be brief", "example q", "example a", "a2", "now");
        assertThat(context.messages().getLast().source()).isEqualTo(ContextMessage.Source.REQUEST);
        assertThat(context.messages().getLast().entry()).isNull();
    }

    @Test
    void aWindowEdgeThatWouldCutAToolCallGroupLeavesTheWholeGroupOut() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("weather?"), call("c1", "c2"), result("c1"), result("c2"), Message.assistant("sunny"));

        assertThat(texts(h.build(ContextPolicy.lastMessages(3)))).containsExactly("sys", "sunny");
        assertThat(texts(h.build(ContextPolicy.lastMessages(4)))).containsExactly("sys", "call:c1,c2", "result:c1", "result:c2", "sunny");
        assertThat(texts(h.build(ContextPolicy.lastMessages(5))))
                .containsExactly("sys", "weather?", "call:c1,c2", "result:c1", "result:c2", "sunny");
    }

    @Test
    void tokenBudgetKeepsAsMuchRecentHistoryAsFits() {
        TestHistory h = TestHistory.withSystemPrompt("sys");                 // 3 + 4 = 7
        h.add(Message.user("aaaaaaaaaa"), Message.user("bbbbbbbbbb"), Message.user("cccccccccc")); // 14 each

        // fixed: system 7 + priming 3 = 10; two messages: 28 -> 38 fits 40, three: 52 does not
        Context context = h.build(ContextPolicy.tokenBudget(45, 5));

        assertThat(texts(context)).containsExactly("sys", "bbbbbbbbbb", "cccccccccc");
        assertThat(context.totalTokens()).isEqualTo(38);
        assertThat(context.truncated()).isTrue();
    }

    @Test
    void tokenBudgetCountsTheRequestFirst() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("aaaaaaaaaa"), Message.user("bbbbbbbbbb"));

        Context context = h.build(ContextPolicy.tokenBudget(44, 0), List.of(Message.user("xxxxxxxxxxxxxxxx"))); // request 20

        assertThat(texts(context)).containsExactly("sys", "bbbbbbbbbb", "xxxxxxxxxxxxxxxx");
        assertThat(context.totalTokens()).isEqualTo(7 + 14 + 20 + 3);
    }

    @Test
    void tokenBudgetDropsAToolGroupThatDoesNotFitWhole() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("q"), call("c1"), result("c1"), Message.assistant("done"));
        int group = h.build(ContextPolicy.all()).messages().stream()
                .filter(m -> m.message().role() == Role.TOOL || !m.message().toolCalls().isEmpty())
                .mapToInt(ContextMessage::tokens).sum();

        Context justShort = h.build(ContextPolicy.tokenBudget(7 + 3 + 8 + group - 1, 0));
        Context enough = h.build(ContextPolicy.tokenBudget(7 + 3 + 8 + group, 0));

        assertThat(texts(justShort)).containsExactly("sys", "done");
        assertThat(texts(enough)).containsExactly("sys", "call:c1", "result:c1", "done");
    }

    @Test
    void whenEvenTheKeptEntriesExceedTheBudgetTheWindowIsEmpty() {
        TestHistory h = TestHistory.withSystemPrompt("a long system prompt");
        h.add(Message.user("u1"));

        Context context = h.build(ContextPolicy.tokenBudget(10, 0));

        assertThat(texts(context)).containsExactly("a long system prompt");
        assertThat(context.truncated()).isTrue();
    }

    @Test
    void filteredLeavesOutWhatThePredicateRefusesAndToolGroupsUnlessItAcceptsEveryMessage() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("u1"), call("c1"), result("c1"), Message.assistant("a1"), Message.user("u2"));

        Context noTools = h.build(ContextPolicy.filtered(e -> e.message().map(m -> m.role() != Role.TOOL).orElse(true)));
        Context noAssistant = h.build(ContextPolicy.filtered(e -> e.message().map(m -> m.role() != Role.ASSISTANT).orElse(true)));

        assertThat(texts(noTools)).containsExactly("sys", "u1", "a1", "u2");
        assertThat(texts(noAssistant)).containsExactly("sys", "u1", "u2");
        assertThat(noTools.omittedMessages()).isEqualTo(2);
    }

    @Test
    void filteredNeverAppliesToTheInitialContext() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("u1"));

        assertThat(texts(h.build(ContextPolicy.filtered(e -> false)))).containsExactly("sys");
    }

    @Test
    void filteredComposesWithAWindowOverTheEntriesItAccepts() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("u1"), Message.assistant("a1"), Message.user("u2"), Message.assistant("a2"), Message.user("u3"));
        ContextPolicy usersOnly = ContextPolicy.filtered(e -> e.message().map(m -> m.role() == Role.USER).orElse(false),
                ContextPolicy.lastMessages(2));

        assertThat(texts(h.build(usersOnly))).containsExactly("sys", "u2", "u3");
    }

    @Test
    void pinnedEntriesOlderThanTheWindowAreKeptBeforeIt() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("my name is Ada"), Message.assistant("hi Ada"), Message.user("u2"),
                Message.assistant("a2"));
        h.pin(added.getFirst().id());

        Context context = h.build(ContextPolicy.lastMessages(1));

        assertThat(texts(context)).containsExactly("sys", "my name is Ada", "a2");
        assertThat(context.messages().get(1).source()).isEqualTo(ContextMessage.Source.PINNED);
    }

    @Test
    void aPinnedEntryInsideTheWindowAppearsOnceInPlace() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("u1"), Message.assistant("a1"));
        h.pin(added.getLast().id());

        assertThat(texts(h.build(ContextPolicy.all()))).containsExactly("sys", "u1", "a1");
    }

    @Test
    void pinnedEntriesDoNotCountAgainstTheWindow() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("u1"), Message.assistant("a1"), Message.user("u2"));
        h.pin(added.getLast().id());

        assertThat(texts(h.build(ContextPolicy.lastMessages(1)))).containsExactly("sys", "a1", "u2");
    }

    @Test
    void pinningAToolResultKeepsItsCallAndTheCallsOtherResults() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("q"), call("c1", "c2"), result("c1"), result("c2"), Message.assistant("a"),
                Message.user("u2"), Message.assistant("a2"));
        h.pin(added.get(2).id());

        assertThat(texts(h.build(ContextPolicy.lastMessages(1))))
                .containsExactly("sys", "call:c1,c2", "result:c1", "result:c2", "a2");
    }

    @Test
    void pinningAToolCallKeepsAllItsResults() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("q"), call("c1", "c2"), result("c1"));
        h.setState("k", "1");
        h.add(result("c2"), Message.assistant("a"), Message.user("u2"));
        h.pin(added.get(1).id());

        assertThat(texts(h.build(ContextPolicy.lastMessages(1))))
                .containsExactly("sys", "call:c1,c2", "result:c1", "result:c2", "u2");
    }

    @Test
    void unpinnedEntriesAreNoLongerKept() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("keep me"), Message.assistant("a1"));
        h.pin(added.getFirst().id());
        h.unpin(added.getFirst().id());

        assertThat(texts(h.build(ContextPolicy.lastMessages(1)))).containsExactly("sys", "a1");
    }

    @Test
    void redactedMessagesAreLeftOut() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("my card is 4111"), Message.assistant("ok"));
        h.redact(added.getFirst().id());

        Context context = h.build(ContextPolicy.all());

        assertThat(texts(context)).containsExactly("sys", "ok");
        assertThat(context.omittedMessages()).isEqualTo(1);
    }

    @Test
    void aRedactedToolCallTakesItsResultsOut() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("q"), call("c1"), result("c1"), Message.assistant("a"));
        h.redact(added.get(1).id());

        assertThat(texts(h.build(ContextPolicy.all()))).containsExactly("sys", "q", "a");
    }

    @Test
    void aRedactedToolResultTakesItsWholeGroupOut() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("q"), call("c1", "c2"), result("c1"), result("c2"), Message.assistant("a"));
        h.redact(added.get(3).id());

        assertThat(texts(h.build(ContextPolicy.all()))).containsExactly("sys", "q", "a");
    }

    @Test
    void aPinnedGroupWithARedactedMemberIsLeftOut() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        List<Entry> added = h.add(Message.user("q"), call("c1", "c2"), result("c1"), result("c2"), Message.user("u2"));
        h.pin(added.get(1).id());
        h.redact(added.get(2).id());

        assertThat(texts(h.build(ContextPolicy.lastMessages(1)))).containsExactly("sys", "u2");
    }

    @Test
    void callsWithoutAllTheirResultsAndResultsWithoutTheirCallAreLeftOut() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("q"), call("c1", "c2"), result("c1"), Message.user("never mind"), result("c9"), call("c3"));

        assertThat(texts(h.build(ContextPolicy.all()))).containsExactly("sys", "q", "never mind");
    }

    @Test
    void stateAndPinEntriesAreNotMessages() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("u1"));
        h.setState("mood", "\"good\"");
        h.add(Message.assistant("a1"));

        assertThat(texts(h.build(ContextPolicy.all()))).containsExactly("sys", "u1", "a1");
    }

    @Test
    void aSessionWithoutHistoryGivesJustTheRequest() {
        TestHistory h = new TestHistory("empty", List.of());

        Context context = h.build(ContextPolicy.lastMessages(3), List.of(Message.user("hello")));

        assertThat(texts(context)).containsExactly("hello");
        assertThat(context.totalTokens()).isEqualTo(5 + 4 + 3);
    }

    @Test
    void summarisingBelowItsTriggerSendsEverythingAndSummarisesNothing() {
        TestHistory h = conversation();
        List<List<Message>> calls = new ArrayList<>();

        Context context = h.build(ContextPolicy.summarising(10_000, 2, m -> {
            calls.add(m);
            return new Summary("x");
        }));

        assertThat(texts(context)).hasSize(7);
        assertThat(context.summaryToAppend()).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void summarisingPastItsTriggerSummarisesAllButTheMostRecentMessages() {
        TestHistory h = conversation();
        List<Entry> path = h.path();
        List<List<Message>> inputs = new ArrayList<>();
        ContextPolicy policy = ContextPolicy.summarising(50, 2, m -> {
            inputs.add(m);
            return new Summary("they greeted");
        });

        Context context = h.build(policy);

        assertThat(inputs).singleElement().satisfies(m -> assertThat(m).extracting(Message::text).containsExactly("u1", "a1"));
        Payload.SummaryPayload summary = (Payload.SummaryPayload) context.summaryToAppend().orElseThrow().payload();
        assertThat(summary.from()).isEqualTo(path.get(3).id());
        assertThat(summary.to()).isEqualTo(path.get(4).id());
        assertThat(texts(context)).containsExactly("be brief", "example q", "example a",
                "Summary of the earlier conversation:\nthey greeted", "u2", "a2");
        assertThat(context.messages().get(3).source()).isEqualTo(ContextMessage.Source.SUMMARY);
        assertThat(context.overflowed()).isTrue();
    }

    @Test
    void anAppendedSummaryStandsInForItsRangeWhileTheRawEntriesStay() {
        TestHistory h = conversation();
        ContextPolicy policy = ContextPolicy.summarising(50, 2, m -> new Summary("they greeted"));
        Entry summaryEntry = h.appendSummary(h.build(policy));
        h.add(Message.user("u3"));

        Context later = h.build(ContextPolicy.all());

        assertThat(texts(later)).containsExactly("be brief", "example q", "example a",
                "Summary of the earlier conversation:\nthey greeted", "u2", "a2", "u3");
        assertThat(later.messages().get(3).entry()).isEqualTo(summaryEntry.id());
        assertThat(h.path()).extracting(e -> e.message().map(Message::text).orElse(e.kind().name()))
                .contains("u1", "a1", "SUMMARY");
    }

    @Test
    void aNewSummaryCoversThePreviousOneSoOnlyTheLatestIsNeeded() {
        TestHistory h = conversation();
        List<Entry> path = h.path();
        List<List<Message>> inputs = new ArrayList<>();
        ContextPolicy policy = ContextPolicy.summarising(50, 2, m -> {
            inputs.add(m);
            return new Summary("summary " + inputs.size());
        });
        h.appendSummary(h.build(policy));
        h.add(Message.user("u3"), Message.assistant("a3"));

        Context second = h.build(policy);

        assertThat(inputs.get(1)).extracting(Message::text)
                .containsExactly("Summary of the earlier conversation:\nsummary 1", "u2", "a2");
        Payload.SummaryPayload summary = (Payload.SummaryPayload) second.summaryToAppend().orElseThrow().payload();
        assertThat(summary.from()).isEqualTo(path.get(3).id());
        assertThat(texts(second)).containsExactly("be brief", "example q", "example a",
                "Summary of the earlier conversation:\nsummary 2", "u3", "a3");
    }

    @Test
    void everyPolicyKeepsTheLatestSummary() {
        TestHistory h = conversation();
        h.appendSummary(h.build(ContextPolicy.summarising(50, 2, m -> new Summary("s"))));
        h.add(Message.user("u3"));
        String summary = "Summary of the earlier conversation:\ns";

        assertThat(texts(h.build(ContextPolicy.lastMessages(1)))).containsExactly("be brief", "example q", "example a", summary, "u3");
        assertThat(texts(h.build(ContextPolicy.tokenBudget(60, 0)))).contains(summary);
        assertThat(texts(h.build(ContextPolicy.filtered(e -> false)))).contains(summary);
    }

    @Test
    void summarisingKeepsToolGroupsWholeOnBothSidesOfTheSplit() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("q"), call("c1", "c2"), result("c1"), result("c2"), Message.assistant("a"));
        List<List<Message>> inputs = new ArrayList<>();

        Context context = h.build(ContextPolicy.summarising(10, 2, m -> {
            inputs.add(m);
            return new Summary("s");
        }));

        assertThat(inputs.getFirst()).extracting(Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL);
        assertThat(texts(context)).containsExactly("sys", "Summary of the earlier conversation:\ns", "a");
    }

    @Test
    void measuringWithoutSummarisingNeverCallsTheSummariser() {
        TestHistory h = conversation();
        ContextPolicy policy = ContextPolicy.summarising(10, 1, m -> {
            throw new AssertionError("summariser called");
        });

        Context context = h.builder.build(h.tenant, h.id, h.head(), policy, TestHistory.TOKENS, List.of(), false);

        assertThat(texts(context)).hasSize(7);
    }

    @Test
    void aFailingSummariserFailsTheBuild() {
        TestHistory h = conversation();
        ContextPolicy policy = ContextPolicy.summarising(10, 1, m -> {
            throw new IllegalStateException("model down");
        });

        assertThatThrownBy(() -> h.build(policy)).isInstanceOf(IllegalStateException.class).hasMessage("model down");
    }

    @Test
    void theSummaryDraftIsASummaryEntryStampedByTheClock() {
        TestHistory h = conversation();

        Context context = h.build(ContextPolicy.summarising(10, 1, new DeterministicSummariser()));

        assertThat(context.summaryToAppend()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(EntryKind.SUMMARY);
            assertThat(d.at()).isEqualTo(h.clock.instant());
        });
    }

    @Test
    void unknownSessionsAndEntriesAreReportedAsNotFound() {
        TestHistory h = conversation();

        assertThatThrownBy(() -> h.builder.build(h.tenant, SessionId.of("nope"), EntryId.of(1), ContextPolicy.all(), TestHistory.TOKENS))
                .isInstanceOf(NotFoundException.class).hasMessage("no session nope");
        assertThatThrownBy(() -> h.builder.build(h.tenant, h.id, EntryId.of(999), ContextPolicy.all(), TestHistory.TOKENS))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("999");
    }

    @Test
    void aContextOfABranchIgnoresWhatOtherBranchesWrote() {
        TestHistory h = conversation();
        EntryId fork = h.head();
        h.add(Message.user("on main"));

        Context atFork = h.builder.build(h.tenant, h.id, fork, ContextPolicy.all(), TestHistory.TOKENS);

        assertThat(texts(atFork)).doesNotContain("on main").endsWith("a2");
    }

    @Test
    void strayAndDuplicateResultsAreLeftOutWhileTheirGroupIsKept() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("q"), call("c1", "c2"), result("c2"), result("c9"), result("c2"), result("c1"), result("c1"),
                Message.assistant("a"));

        assertThat(texts(h.build(ContextPolicy.all()))).containsExactly("sys", "q", "call:c1,c2", "result:c2", "result:c1", "a");
    }

    @Test
    void pinningAnEntryOfTheInitialContextDoesNotRepeatIt() {
        TestHistory h = TestHistory.withSystemPrompt("sys");
        h.add(Message.user("u1"));
        h.pin(h.path().getFirst().id());

        assertThat(texts(h.build(ContextPolicy.lastMessages(1)))).containsExactly("sys", "u1");
    }

    /** Counts characters, noting each text it was asked to count in {@code counted}. */
    private static MessageTokens noting(List<String> counted) {
        return MessageTokens.of(new Tokenizer() {
            @Override
            public String name() {
                return "noting";
            }

            @Override
            public int count(String text) {
                counted.add(text);
                return text.length();
            }
        });
    }

    @Test
    void eachEntryIsCountedOncePerTokenizerAcrossBuilds() {
        TestHistory h = conversation();
        List<String> counted = new ArrayList<>();
        MessageTokens counting = noting(counted);

        Context first = h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.tokenBudget(1_000, 0), counting);
        int afterFirst = counted.size();
        Context second = h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), counting);

        assertThat(afterFirst).isEqualTo(7);
        assertThat(counted).hasSize(afterFirst);
        assertThat(second.totalTokens()).isEqualTo(first.totalTokens());
    }

    @Test
    void theRequestIsCountedOncePerBuildAndCountsTowardsTheTotal() {
        TestHistory h = conversation();
        List<String> counted = new ArrayList<>();
        MessageTokens counting = noting(counted);
        h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), counting);
        counted.clear();

        // Every policy that weighs the request against a budget, and one that does not.
        for (ContextPolicy policy : List.of(ContextPolicy.tokenBudget(1_000, 0), ContextPolicy.all(),
                ContextPolicy.summarising(10_000, 2, messages -> new Summary("s")))) {
            Context context = h.builder.build(h.tenant, h.id, h.head(), policy, counting,
                    List.of(Message.user("a new question")), true);

            assertThat(counted).as("counted for %s", policy).containsExactly("a new question");
            assertThat(context.messages().getLast().tokens()).isEqualTo("a new question".length() + 4);
            counted.clear();
        }
    }

    /** {@code store}, noting the name of every call made to it. */
    private static SessionStore counting(SessionStore store, List<String> calls) {
        return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[]{SessionStore.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aShortHistoryIsReadInOneCallHeadIncluded() {
        TestHistory h = conversation();
        List<String> calls = new ArrayList<>();
        ContextBuilder builder = new ContextBuilder(counting(h.store, calls), h.cache, h.clock);

        Context context = builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), TestHistory.TOKENS);

        assertThat(texts(context)).isEqualTo(texts(h.build(ContextPolicy.all())));
        // the session row, the initial context, and the head with the entries before it
        assertThat(calls).containsExactly("find", "path", "path");
    }

    @Test
    void aSourceOverTheRowTheCallerReadBuildsTheSameContextWithoutReadingTheRowAgain() {
        TestHistory h = conversation();
        List<String> calls = new ArrayList<>();
        ContextBuilder builder = new ContextBuilder(counting(h.store, calls), h.cache, h.clock);
        SessionInfo row = h.store.find(h.tenant, h.id).orElseThrow().info();
        List<Message> request = List.of(Message.user("now"));

        Context context = builder.source(row, h::head).build(ContextPolicy.lastMessages(2), TestHistory.TOKENS, request, true);

        assertThat(context.messages()).isEqualTo(h.build(ContextPolicy.lastMessages(2), request).messages());
        assertThat(calls).doesNotContain("find");
    }

    @Test
    void aSourceOverAPathTheCallerReadBuildsTheSameContextsWithoutReadingTheStore() {
        TestHistory h = conversation();
        h.add(call("c1"), result("c1"), Message.assistant("done"));
        List<String> calls = new ArrayList<>();
        ContextBuilder builder = new ContextBuilder(counting(h.store, calls), h.cache, h.clock);
        SessionInfo row = h.store.find(h.tenant, h.id).orElseThrow().info();
        List<Entry> path = h.store.path(h.tenant, h.id, h.head(), Integer.MAX_VALUE);
        EntryId earlier = path.get(path.size() - 4).id();
        List<Message> request = List.of(Message.user("now"));

        // Ending at the head, and (as an edited turn does) at an earlier entry of the same path; initial context included.
        for (EntryId end : List.of(h.head(), earlier)) {
            for (ContextPolicy policy : List.of(ContextPolicy.all(), ContextPolicy.lastMessages(2), ContextPolicy.tokenBudget(40, 0))) {
                Context known = builder.source(row, () -> end, path).build(policy, TestHistory.TOKENS, request, true);
                Context read = h.builder.build(h.tenant, h.id, end, policy, TestHistory.TOKENS, request, true);

                assertThat(known.messages()).as("%s ending at %s", policy, end).isEqualTo(read.messages());
            }
        }
        assertThat(calls).as("store calls").isEmpty();
    }

    @Test
    void aRequestStoredAsItWasCountedIsNotCountedAgainByTheNextContext() {
        TestHistory h = conversation();
        List<String> counted = new ArrayList<>();
        MessageTokens counting = noting(counted);
        SessionInfo row = h.store.find(h.tenant, h.id).orElseThrow().info();
        h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), counting);
        Message question = Message.user("a new question");
        Context turn = h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), counting, List.of(question), true);
        List<Entry> appended = h.add(question, Message.assistant("an answer"), Message.user("a new question, edited"));
        counted.clear();

        h.builder.rememberRequestCounts(row, turn, counting, appended);
        Context next = h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), counting);

        // The reply and the message stored in another form than was counted are counted; the question is not.
        assertThat(counted).containsExactlyInAnyOrder("an answer", "a new question, edited");
        assertThat(next.messages()).filteredOn(m -> m.message().equals(question)).singleElement()
                .extracting(ContextMessage::tokens).isEqualTo("a new question".length() + 4);
    }

    @Test
    void aKnownPathMustRunFromARootWithoutAGap() {
        TestHistory h = conversation();
        SessionInfo row = h.store.find(h.tenant, h.id).orElseThrow().info();
        List<Entry> path = h.store.path(h.tenant, h.id, h.head(), Integer.MAX_VALUE);
        List<Entry> gap = new ArrayList<>(path);
        gap.remove(2);

        assertThatThrownBy(() -> h.builder.source(row, h::head, path.subList(1, path.size())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("knownPath")
                .hasMessageContaining("position 0 has parent " + path.getFirst().id() + ", not null");
        assertThatThrownBy(() -> h.builder.source(row, h::head, gap))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("position 2 has parent " + path.get(2).id());
    }
}
