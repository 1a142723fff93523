package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.SessionStore;
import dev.parley.store.WriteRequest;
import dev.parley.store.memory.InMemorySessionStore;
import dev.parley.testing.MutableClock;
import dev.parley.tokens.MessageTokens;
import dev.parley.tokens.TokenCountCache;
import dev.parley.tokens.Tokenizer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** A session in an in-memory store, written through the store SPI, with helpers for building its contexts. */
final class TestHistory {
    /** One token per character: makes budgets in tests easy to reason about. */
    static final Tokenizer CHARS = new Tokenizer() {
        @Override
        public String name() {
            return "chars";
        }

        @Override
        public int count(String text) {
            return text.length();
        }
    };
    static final MessageTokens TOKENS = MessageTokens.of(CHARS);

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final SessionStore store = new InMemorySessionStore(clock);
    final TenantId tenant = TenantId.DEFAULT;
    final SessionId id;
    final TokenCountCache cache = new TokenCountCache();
    final ContextBuilder builder = new ContextBuilder(store, cache, clock);
    private EntryId head;

    TestHistory(String name, List<Message> initial) {
        this.id = SessionId.of(name);
        List<EntryDraft> drafts = initial.stream().map(TestHistory::draft).toList();
        store.create(new NewSession(tenant, id, UserId.ANONYMOUS, clock.instant(), null, null, Map.of(), Map.of(), drafts));
        head = store.find(tenant, id).orElseThrow().info().initialHead();
    }

    static TestHistory withSystemPrompt(String system) {
        return new TestHistory("s", List.of(Message.system(system)));
    }

    static EntryDraft draft(Message message) {
        return new EntryDraft(START, EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }

    List<Entry> add(Message... messages) {
        return append(Arrays.stream(messages).map(TestHistory::draft).toList());
    }

    List<Entry> append(List<EntryDraft> drafts) {
        clock.advance(Duration.ofSeconds(1));
        List<Entry> appended = store.write(tenant, id, WriteRequest.builder(clock.instant()).append("main", drafts).build())
                .appended();
        head = appended.getLast().id();
        return appended;
    }

    Entry appendSummary(Context context) {
        return append(List.of(context.summaryToAppend().orElseThrow())).getFirst();
    }

    void pin(EntryId target) {
        changePins(target, true);
    }

    void unpin(EntryId target) {
        changePins(target, false);
    }

    private void changePins(EntryId target, boolean pin) {
        TreeSet<EntryId> pins = new TreeSet<>(pins());
        if (pin) {
            pins.add(target);
        } else {
            pins.remove(target);
        }
        append(List.of(new EntryDraft(clock.instant(), pin ? EntryKind.PIN : EntryKind.UNPIN, new Payload.PinsPayload(target, pins))));
    }

    SortedSet<EntryId> pins() {
        EntryId ref = head == null ? null : store.entry(tenant, id, head).orElseThrow().pinsRef();
        return ref == null ? new TreeSet<>() : ((Payload.PinsPayload) store.entry(tenant, id, ref).orElseThrow().payload()).pins();
    }

    void redact(EntryId entry) {
        Entry e = store.entry(tenant, id, entry).orElseThrow();
        Role role = e.message().map(Message::role).orElseThrow();
        store.redact(tenant, id, entry, new Payload.Redacted(role, "tester", clock.instant()), clock.instant());
    }

    void setState(String key, String json) {
        append(List.of(new EntryDraft(clock.instant(), EntryKind.STATE,
                new Payload.StatePayload(Map.of(key, json), java.util.Set.of(), Map.of(key, json)))));
    }

    EntryId head() {
        return head;
    }

    List<Entry> path() {
        return head == null ? List.of() : store.path(tenant, id, head, Integer.MAX_VALUE);
    }

    Context build(ContextPolicy policy) {
        return builder.build(tenant, id, head, policy, TOKENS);
    }

    Context build(ContextPolicy policy, List<Message> request) {
        return builder.build(tenant, id, head, policy, TOKENS, request, true);
    }

    ContextSource source() {
        return builder.source(tenant, id, this::head);
    }

    static Message call(String... ids) {
        List<Part.ToolCall> calls = new ArrayList<>();
        for (String callId : ids) {
            calls.add(new Part.ToolCall(callId, "lookup", "{\"q\":\"" + callId + "\"}"));
        }
        return Message.toolCalls(calls);
    }

    static Message result(String callId) {
        return Message.toolResult(callId, "result of " + callId);
    }

    /** The texts of a context's messages, for readable assertions. */
    static List<String> texts(Context context) {
        return context.messages().stream().map(m -> {
            Message message = m.message();
            if (!message.toolCalls().isEmpty()) {
                return "call:" + String.join(",", message.toolCalls().stream().map(Part.ToolCall::id).toList());
            }
            if (message.role() == Role.TOOL) {
                return "result:" + message.toolResults().getFirst().callId();
            }
            return message.text();
        }).toList();
    }
}
