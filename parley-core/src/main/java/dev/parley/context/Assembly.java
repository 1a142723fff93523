package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionInfo;
import dev.parley.store.EntryDraft;
import dev.parley.tokens.MessageTokens;
import dev.parley.tokens.TokenCountCache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Predicate;

/** One context build: reads what the policy needs, chooses the window, lays the messages out in order. */
final class Assembly {
    static final String SUMMARY_PREFIX = "Summary of the earlier conversation:\n";
    static final String SUMMARY_METADATA = "parley.summary";
    private static final long UNLIMITED = Long.MAX_VALUE;

    /** The window a policy chose, newest unit first, and the summary it made, if any. */
    private record Window(List<Unit> units, boolean truncated, EntryDraft summaryDraft) {
    }

    private final History history;
    private final SessionInfo info;
    private final MessageTokens tokens;
    private final TokenCountCache cache;
    private final Instant now;

    private Entry summaryEntry;
    private Payload.SummaryPayload summary;
    private SortedSet<EntryId> pins = Collections.emptySortedSet();
    private SortedMap<EntryId, Unit> pinned = Collections.emptySortedMap();

    Assembly(History history, SessionInfo info, MessageTokens tokens, TokenCountCache cache, Instant now) {
        this.history = history;
        this.info = info;
        this.tokens = tokens;
        this.cache = cache;
        this.now = now;
    }

    Context build(EntryId headId, ContextPolicy policy, List<Message> request, boolean summarise) {
        List<Unit> initial = List.of();
        int floorDepth = 0;
        if (info.initialHead() != null) {
            List<Entry> chain = history.path(info.initialHead(), Integer.MAX_VALUE);
            initial = UnitWalker.units(chain);
            floorDepth = chain.getLast().depth();
        }
        Set<EntryId> initialIds = new HashSet<>();
        initial.forEach(u -> u.entries().forEach(e -> initialIds.add(e.id())));

        // The head and the newest entries in one read: the walk starts from this page instead of reading the head alone.
        List<Entry> top = headId == null ? List.of() : history.path(headId, UnitWalker.FIRST_PAGE);
        Entry head = top.isEmpty() ? null : top.getLast();
        if (head != null && head.summaryRef() != null) {
            summaryEntry = history.entry(head.summaryRef());
            summary = (Payload.SummaryPayload) summaryEntry.payload();
            floorDepth = Math.max(floorDepth, history.entry(summary.to()).depth());
        }
        if (head != null && head.pinsRef() != null) {
            pins = ((Payload.PinsPayload) history.entry(head.pinsRef()).payload()).pins();
            pinned = PinnedUnits.resolve(history, pins, initialIds);
        }

        List<ContextMessage> fixed = new ArrayList<>();
        initial.forEach(u -> addUnit(fixed, u, ContextMessage.Source.INITIAL));
        if (summaryEntry != null) {
            Message rendered = render(summary);
            fixed.add(new ContextMessage(rendered, cache.count(info, summaryEntry.id(), tokens, rendered), summaryEntry.id(),
                    ContextMessage.Source.SUMMARY));
        }
        // Counted once: the request is new, so no cache holds its counts, and tokenizing is most of a small context's cost.
        List<ContextMessage> asked = request.stream()
                .map(m -> new ContextMessage(m, tokens.count(m), null, ContextMessage.Source.REQUEST)).toList();
        int fixedTokens = tokens.replyPriming() + sum(fixed) + pinned.values().stream().mapToInt(this::tokensOf).sum() + sum(asked);

        UnitWalker walker = new UnitWalker(history, top, floorDepth);
        Window window = select(policy, e -> true, walker, fixedTokens, summarise);
        return layOut(head, fixed, window, asked);
    }

    private Window select(ContextPolicy policy, Predicate<Entry> filter, UnitWalker walker, int fixedTokens, boolean summarise) {
        return switch (policy) {
            case ContextPolicy.Filtered f -> select(f.then(), filter.and(f.predicate()), walker, fixedTokens, summarise);
            case ContextPolicy.All a -> take(walker, filter, Integer.MAX_VALUE, UNLIMITED);
            case ContextPolicy.LastMessages l -> take(walker, filter, l.n(), UNLIMITED);
            case ContextPolicy.TokenBudget b -> take(walker, filter, Integer.MAX_VALUE, (long) b.promptTokens() - fixedTokens);
            case ContextPolicy.Summarising s -> summarising(s, walker, filter, fixedTokens, summarise);
        };
    }

    /**
     * Units newest first while they fit {@code maxMessages} and {@code maxTokens}; stops at the first
     * that does not, so the window is one unbroken stretch of history. Pinned units come along free
     * (they are counted among the fixed tokens); units the filter refuses are passed over.
     */
    private Window take(UnitWalker walker, Predicate<Entry> filter, int maxMessages, long maxTokens) {
        List<Unit> units = new ArrayList<>();
        int messages = 0;
        long used = 0;
        for (Unit unit = walker.next(); unit != null; unit = walker.next()) {
            if (unit.containsAny(pins)) {
                units.add(unit);
                continue;
            }
            if (!unit.allMatch(filter)) {
                continue;
            }
            int cost = maxTokens == UNLIMITED ? 0 : tokensOf(unit);
            if (messages + unit.size() > maxMessages || used + cost > maxTokens) {
                return new Window(units, true, null);
            }
            messages += unit.size();
            used += cost;
            units.add(unit);
        }
        return new Window(units, false, null);
    }

    private Window summarising(ContextPolicy.Summarising policy, UnitWalker walker, Predicate<Entry> filter,
                               int fixedTokens, boolean summarise) {
        Window everything = take(walker, filter, Integer.MAX_VALUE, UNLIMITED);
        List<Unit> units = everything.units();
        long total = fixedTokens + units.stream().filter(u -> !u.containsAny(pins)).mapToLong(this::tokensOf).sum();
        if (!summarise || total <= policy.triggerTokens()) {
            return everything;
        }
        int split = 0;
        int kept = 0;
        for (; split < units.size(); split++) {
            Unit unit = units.get(split);
            if (unit.containsAny(pins)) {
                continue;
            }
            if (kept + unit.size() > policy.keepRecent()) {
                break;
            }
            kept += unit.size();
        }
        List<Unit> older = units.subList(split, units.size());
        if (older.stream().allMatch(u -> u.containsAny(pins))) {
            return everything;
        }
        List<Message> input = new ArrayList<>();
        if (summary != null) {
            input.add(render(summary));
        }
        for (int i = older.size() - 1; i >= 0; i--) {
            input.addAll(older.get(i).messages());
        }
        Summary made = policy.summariser().summarise(List.copyOf(input));
        EntryId from = summary != null ? summary.from() : walker.oldest().id();
        Payload.SummaryPayload payload = new Payload.SummaryPayload(made.text(), from, older.getFirst().last());
        return new Window(units.subList(0, split), false, new EntryDraft(now, EntryKind.SUMMARY, payload));
    }

    private Context layOut(Entry head, List<ContextMessage> fixed, Window window, List<ContextMessage> asked) {
        List<ContextMessage> out = new ArrayList<>(fixed);
        if (window.summaryDraft() != null) {
            out.removeIf(m -> m.source() == ContextMessage.Source.SUMMARY);
            Message rendered = render((Payload.SummaryPayload) window.summaryDraft().payload());
            out.add(new ContextMessage(rendered, tokens.count(rendered), null, ContextMessage.Source.SUMMARY));
        }
        Set<EntryId> inWindow = new HashSet<>();
        window.units().forEach(u -> inWindow.add(u.first()));
        for (Map.Entry<EntryId, Unit> pin : pinned.entrySet()) {
            if (!inWindow.contains(pin.getKey())) {
                addUnit(out, pin.getValue(), ContextMessage.Source.PINNED);
            }
        }
        for (int i = window.units().size() - 1; i >= 0; i--) {
            addUnit(out, window.units().get(i), ContextMessage.Source.HISTORY);
        }
        out.addAll(asked);
        long fromHistory = out.stream().filter(m -> m.entry() != null && m.source() != ContextMessage.Source.SUMMARY).count();
        int omitted = head == null ? 0 : (int) Math.max(0, head.messageCount() - fromHistory);
        return new Context(out, tokens.replyPriming() + sum(out), omitted, window.truncated(), window.summaryDraft());
    }

    private void addUnit(List<ContextMessage> out, Unit unit, ContextMessage.Source source) {
        for (Entry entry : unit.entries()) {
            Message message = entry.message().orElseThrow();
            out.add(new ContextMessage(message, cache.count(info, entry.id(), tokens, message), entry.id(), source));
        }
    }

    private int tokensOf(Unit unit) {
        int total = 0;
        for (Entry entry : unit.entries()) {
            total += cache.count(info, entry.id(), tokens, entry.message().orElseThrow());
        }
        return total;
    }

    private static int sum(List<ContextMessage> messages) {
        return messages.stream().mapToInt(ContextMessage::tokens).sum();
    }

    static Message render(Payload.SummaryPayload summary) {
        return Message.system(SUMMARY_PREFIX + summary.text())
                .withMetadata(Map.of(SUMMARY_METADATA, summary.from() + ".." + summary.to()));
    }
}
