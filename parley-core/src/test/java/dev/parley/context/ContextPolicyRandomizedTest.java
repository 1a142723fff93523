package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.store.EntryDraft;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated histories (tool-call groups, parallel calls, strays, incomplete groups, redactions, pins,
 * state, summaries) against every policy at many window sizes: each context must equal the
 * {@link ContextOracle}'s and keep every promise of {@link ContextPolicy}. The seed is printed; rerun
 * one with {@code -Dparley.seed=<seed>}.
 */
class ContextPolicyRandomizedTest {
    private static final int HISTORIES = 100;
    private static final String[] WORDS = {"the", "venue", "budget", "Lisbon", "fine", "tomorrow", "weather", "42", "ok",
            "schedule", "ticket", "refund", "why", "because", "é", "数据", "{\"a\":1}"};

    private int groupsAtWindowEdges;
    private int summariesMade;

    @Test
    void everyPolicyKeepsItsPromisesOnGeneratedHistories() {
        long seed = Long.getLong("parley.seed", System.nanoTime());
        System.out.println("ContextPolicyRandomizedTest seed " + seed + " (rerun with -Dparley.seed=" + seed + ")");
        Random master = new Random(seed);
        for (int i = 0; i < HISTORIES; i++) {
            long historySeed = master.nextLong();
            try {
                checkHistory(i, new Random(historySeed));
            } catch (AssertionError e) {
                throw new AssertionError("history " + i + " failed; seed " + seed + ": " + e.getMessage(), e);
            }
        }
        System.out.println("ContextPolicyRandomizedTest: " + groupsAtWindowEdges + " tool-call groups left out at window edges, "
                + summariesMade + " summaries made");
        assertThat(groupsAtWindowEdges).as("tool-call groups met at window edges").isGreaterThan(HISTORIES);
        assertThat(summariesMade).as("summaries made").isGreaterThan(HISTORIES / 4);
    }

    private void checkHistory(int index, Random r) {
        TestHistory h = generate(index, r);
        for (ContextPolicy policy : policies(r)) {
            Context context = h.build(policy);
            assertThat(context.entries()).as("%s", policy).isEqualTo(ContextOracle.expected(h, policy));
            checkPromises(h, policy, context);
        }
        summariseAndCheck(h, r);
    }

    private TestHistory generate(int index, Random r) {
        List<Message> initial = new ArrayList<>();
        initial.add(Message.system("system " + text(r)));
        for (int i = r.nextInt(3); i > 0; i--) {
            initial.add(r.nextBoolean() ? Message.user(text(r)) : Message.assistant(text(r)));
        }
        if (r.nextInt(4) == 0) {
            initial.add(TestHistory.call("init"));
            initial.add(TestHistory.result("init"));
        }
        TestHistory h = new TestHistory("r" + index, initial);
        List<EntryId> messages = new ArrayList<>(h.path().stream().map(Entry::id).toList());
        Set<EntryId> redacted = new HashSet<>();
        int steps = 10 + r.nextInt(90);
        for (int step = 0; step < steps; step++) {
            int action = r.nextInt(100);
            if (action < 30) {
                messages.add(h.add(Message.user(text(r))).getFirst().id());
            } else if (action < 48) {
                messages.add(h.add(Message.assistant(text(r))).getFirst().id());
            } else if (action < 70) {
                addToolGroup(h, r, step, messages);
            } else if (action < 73) {
                messages.add(h.add(TestHistory.call("dangling" + step)).getFirst().id());
            } else if (action < 75) {
                messages.add(h.add(TestHistory.result("orphan" + step)).getFirst().id());
            } else if (action < 82) {
                h.pin(messages.get(r.nextInt(messages.size())));
            } else if (action < 85) {
                List<EntryId> pins = new ArrayList<>(h.pins());
                if (!pins.isEmpty()) {
                    h.unpin(pins.get(r.nextInt(pins.size())));
                }
            } else if (action < 89) {
                EntryId target = messages.get(r.nextInt(messages.size()));
                if (redacted.add(target)) {
                    h.redact(target);
                }
            } else if (action < 92) {
                h.setState("k" + r.nextInt(3), Integer.toString(step));
            } else if (action < 96) {
                Context context = h.build(ContextPolicy.summarising(20 + r.nextInt(400), r.nextInt(7),
                        new DeterministicSummariser()));
                if (context.summaryToAppend().isPresent()) {
                    summariesMade++;
                    h.appendSummary(context);
                }
            } else {
                messages.add(h.add(Message.user(text(r))).getFirst().id());
            }
        }
        return h;
    }

    /** A call with 1-3 parallel calls and its results, sometimes malformed in the ways real histories are. */
    private static void addToolGroup(TestHistory h, Random r, int step, List<EntryId> messages) {
        List<String> ids = new ArrayList<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            ids.add("s" + step + "c" + i);
        }
        List<Part> callParts = new ArrayList<>();
        if (r.nextInt(4) == 0) {
            callParts.add(new Part.Text("let me check"));
        }
        ids.forEach(id -> callParts.add(new Part.ToolCall(id, "lookup", "{\"id\":\"" + id + "\"}")));
        messages.add(h.add(new Message(Role.ASSISTANT, callParts, null, Map.of())).getFirst().id());
        List<Message> results = new ArrayList<>();
        ids.forEach(id -> results.add(TestHistory.result(id)));
        Collections.shuffle(results, r);
        int variant = r.nextInt(12);
        switch (variant) {
            case 0 -> results.removeLast();
            case 1 -> results.add(TestHistory.result("stray" + step));
            case 2 -> results.add(r.nextInt(results.size() + 1), TestHistory.result(ids.getFirst()));
            case 3 -> {
                if (ids.size() > 1) {
                    results.clear();
                    List<Part> parts = new ArrayList<>();
                    ids.forEach(id -> parts.add(new Part.ToolResult(id, "r" + id, false)));
                    results.add(new Message(Role.TOOL, parts, null, Map.of()));
                }
            }
            default -> {
            }
        }
        for (Message result : results) {
            if (variant == 4 && r.nextBoolean()) {
                h.setState("between", "1");
            }
            messages.add(h.add(result).getFirst().id());
        }
    }

    private static List<ContextPolicy> policies(Random r) {
        List<ContextPolicy> policies = new ArrayList<>();
        policies.add(ContextPolicy.all());
        for (int n = 1; n <= 12; n++) {
            policies.add(ContextPolicy.lastMessages(n));
        }
        policies.add(ContextPolicy.lastMessages(13 + r.nextInt(200)));
        for (int max : new int[]{20, 60, 120, 250, 500, 1000, 2000, 10 + r.nextInt(3000)}) {
            policies.add(ContextPolicy.tokenBudget(max, r.nextInt(max / 4 + 1)));
        }
        policies.add(ContextPolicy.filtered(e -> e.message().map(m -> m.role() != Role.TOOL).orElse(true)));
        policies.add(ContextPolicy.filtered(e -> e.seq() % 3 != 0));
        policies.add(ContextPolicy.filtered(e -> e.seq() % 2 == 0, ContextPolicy.lastMessages(1 + r.nextInt(8))));
        policies.add(ContextPolicy.filtered(e -> e.seq() % 5 != 1, ContextPolicy.tokenBudget(100 + r.nextInt(600), 10)));
        policies.add(ContextPolicy.filtered(e -> e.seq() % 4 != 2, ContextPolicy.filtered(e -> e.seq() % 3 != 1)));
        return policies;
    }

    private void checkPromises(TestHistory h, ContextPolicy policy, Context context) {
        List<Message> sent = context.toMessages();
        assertProviderValid(sent);
        assertThat(context.totalTokens()).isEqualTo(context.messages().stream().mapToInt(ContextMessage::tokens).sum() + 3);
        Set<EntryId> sentIds = new HashSet<>(context.entries());
        for (ContextMessage m : context.messages()) {
            if (m.entry() != null && m.source() != ContextMessage.Source.SUMMARY) {
                Entry now = h.store.entry(h.tenant, h.id, m.entry()).orElseThrow();
                assertThat(now.payload()).as("entry %s sent although redacted", m.entry()).isInstanceOf(Payload.MessagePayload.class);
            }
        }
        List<Entry> path = h.path();
        Entry head = path.getLast();
        if (context.summaryToAppend().isPresent()) {
            assertThat(context.messages()).filteredOn(m -> m.source() == ContextMessage.Source.SUMMARY)
                    .as("the new summary replaces the old").singleElement().satisfies(m -> assertThat(m.entry()).isNull());
        } else if (head.summaryRef() != null) {
            assertThat(sentIds).as("latest summary kept").contains(head.summaryRef());
        }
        Set<EntryId> pins = h.pins();
        Set<EntryId> inPinnedUnits = new HashSet<>();
        for (List<Entry> unit : ContextOracle.units(path)) {
            if (unit.stream().anyMatch(e -> pins.contains(e.id()))) {
                assertThat(sentIds).as("pinned unit kept").containsAll(unit.stream().map(Entry::id).toList());
                unit.forEach(e -> inPinnedUnits.add(e.id()));
            }
        }
        List<ContextMessage> history = context.messages().stream().filter(m -> m.source() == ContextMessage.Source.HISTORY).toList();
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).entry()).isGreaterThan(history.get(i - 1).entry());
        }
        long windowed = history.stream().filter(m -> !inPinnedUnits.contains(m.entry())).count();
        if (policy instanceof ContextPolicy.LastMessages last) {
            assertThat(windowed).isLessThanOrEqualTo(last.n());
            if (context.truncated() && windowed < last.n()) {
                groupsAtWindowEdges++;
            }
        }
        if (policy instanceof ContextPolicy.TokenBudget budget && windowed > 0) {
            assertThat(context.totalTokens()).isLessThanOrEqualTo(budget.promptTokens());
        }
    }

    /** What providers accept: every call followed by exactly one result per call id, and no result anywhere else. */
    static void assertProviderValid(List<Message> messages) {
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            assertThat(message.role()).as("tool result without its call at %d", i).isNotEqualTo(Role.TOOL);
            if (!message.toolCalls().isEmpty()) {
                Set<String> open = new HashSet<>();
                message.toolCalls().forEach(c -> open.add(c.id()));
                int j = i + 1;
                for (; j < messages.size() && messages.get(j).role() == Role.TOOL; j++) {
                    for (Part.ToolResult result : messages.get(j).toolResults()) {
                        assertThat(open.remove(result.callId())).as("result %s answers a call of its group once", result.callId())
                                .isTrue();
                    }
                }
                assertThat(open).as("calls without results").isEmpty();
                i = j - 1;
            }
        }
    }

    /** Summarises, checks what the summariser saw, appends the summary, and checks the contexts that follow. */
    private void summariseAndCheck(TestHistory h, Random r) {
        List<List<Message>> inputs = new ArrayList<>();
        Summariser recording = m -> {
            inputs.add(m);
            return new DeterministicSummariser().summarise(m);
        };
        ContextPolicy policy = ContextPolicy.summarising(10 + r.nextInt(200), r.nextInt(6), recording);
        Context measured = h.builder.build(h.tenant, h.id, h.head(), policy, TestHistory.TOKENS, List.of(), false);
        assertThat(measured.entries()).isEqualTo(ContextOracle.expected(h, ContextPolicy.all()));
        Context context = h.build(policy);
        checkPromises(h, policy, context);
        if (context.summaryToAppend().isEmpty()) {
            return;
        }
        summariesMade++;
        assertThat(inputs).hasSize(1);
        assertProviderValid(inputs.getFirst().stream().filter(m -> m.role() != Role.SYSTEM).toList());
        EntryDraft draft = context.summaryToAppend().orElseThrow();
        assertThat(draft.kind()).isEqualTo(EntryKind.SUMMARY);
        Payload.SummaryPayload range = (Payload.SummaryPayload) draft.payload();
        h.appendSummary(context);
        h.add(Message.user("after the summary"));

        Context later = h.build(ContextPolicy.all());
        assertThat(later.entries()).isEqualTo(ContextOracle.expected(h, ContextPolicy.all()));
        for (ContextMessage m : later.messages()) {
            if (m.source() == ContextMessage.Source.HISTORY) {
                assertThat(m.entry()).as("history after the summary's range").isGreaterThan(range.to());
            }
        }
        assertThat(h.path().stream().map(Entry::id)).as("raw entries stay").contains(range.from(), range.to());
    }

    private static String text(Random r) {
        StringBuilder out = new StringBuilder();
        for (int i = 1 + r.nextInt(8); i > 0; i--) {
            out.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
        return out.toString().strip();
    }
}
