package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The contexts the builder should produce, computed the slow, obvious way: from the whole path,
 * scanning forwards. Written independently of the builder's backward walk so the two check each other.
 */
final class ContextOracle {
    private ContextOracle() {
    }

    /** The entry ids a context of {@code policy} sends, in order (the latest summary's entry included). */
    static List<EntryId> expected(TestHistory h, ContextPolicy policy) {
        List<Entry> path = h.path();
        EntryId initialHead = h.store.find(h.tenant, h.id).orElseThrow().info().initialHead();
        int initialDepth = initialHead == null ? 0 : h.store.entry(h.tenant, h.id, initialHead).orElseThrow().depth();
        Entry head = path.isEmpty() ? null : path.getLast();
        Entry summary = head == null || head.summaryRef() == null ? null
                : h.store.entry(h.tenant, h.id, head.summaryRef()).orElseThrow();
        int floor = initialDepth;
        if (summary != null) {
            EntryId to = ((Payload.SummaryPayload) summary.payload()).to();
            floor = Math.max(floor, h.store.entry(h.tenant, h.id, to).orElseThrow().depth());
        }
        SortedSet<EntryId> pins = h.pins();

        List<EntryId> out = new ArrayList<>();
        Set<EntryId> initialIds = new HashSet<>();
        for (List<Entry> unit : units(path.stream().filter(e -> e.depth() <= initialDepth).toList())) {
            unit.forEach(e -> {
                out.add(e.id());
                initialIds.add(e.id());
            });
        }
        if (summary != null) {
            out.add(summary.id());
        }
        TreeMap<EntryId, List<Entry>> pinned = new TreeMap<>();
        for (List<Entry> unit : units(path)) {
            if (unit.stream().anyMatch(e -> pins.contains(e.id()) && !initialIds.contains(e.id()))) {
                pinned.put(unit.getFirst().id(), unit);
            }
        }
        int finalFloor = floor;
        List<List<Entry>> region = units(path.stream().filter(e -> e.depth() > finalFloor).toList());
        List<List<Entry>> window = window(policy, path, region, pins, pinned, summary, initialIds);
        Set<EntryId> inWindow = new HashSet<>();
        window.forEach(u -> inWindow.add(u.getFirst().id()));
        pinned.forEach((first, unit) -> {
            if (!inWindow.contains(first)) {
                unit.forEach(e -> out.add(e.id()));
            }
        });
        window.forEach(u -> u.forEach(e -> out.add(e.id())));
        return out;
    }

    /** Units of the window, oldest first. */
    private static List<List<Entry>> window(ContextPolicy policy, List<Entry> path, List<List<Entry>> region, Set<EntryId> pins,
                                            TreeMap<EntryId, List<Entry>> pinned, Entry summary,
                                            Set<EntryId> initialIds) {
        Predicate<Entry> filter = e -> true;
        ContextPolicy rule = policy;
        while (rule instanceof ContextPolicy.Filtered f) {
            filter = filter.and(f.predicate());
            rule = f.then();
        }
        int maxMessages = rule instanceof ContextPolicy.LastMessages l ? l.n() : Integer.MAX_VALUE;
        long maxTokens = Long.MAX_VALUE;
        if (rule instanceof ContextPolicy.TokenBudget b) {
            long fixed = TestHistory.TOKENS.replyPriming();
            for (Entry e : path) {
                if (initialIds.contains(e.id())) {
                    fixed += TestHistory.TOKENS.count(e.message().orElseThrow());
                }
            }
            if (summary != null) {
                fixed += TestHistory.TOKENS.count(Assembly.render((Payload.SummaryPayload) summary.payload()));
            }
            for (List<Entry> unit : pinned.values()) {
                fixed += tokens(unit);
            }
            maxTokens = b.promptTokens() - fixed;
        }
        List<List<Entry>> taken = new ArrayList<>();
        int messages = 0;
        long used = 0;
        for (int i = region.size() - 1; i >= 0; i--) {
            List<Entry> unit = region.get(i);
            if (unit.stream().anyMatch(e -> pins.contains(e.id()))) {
                taken.addFirst(unit);
                continue;
            }
            if (!unit.stream().allMatch(filter)) {
                continue;
            }
            long cost = tokens(unit);
            if (messages + unit.size() > maxMessages || used + cost > maxTokens) {
                break;
            }
            messages += unit.size();
            used += cost;
            taken.addFirst(unit);
        }
        return taken;
    }

    private static long tokens(List<Entry> unit) {
        return unit.stream().mapToLong(e -> TestHistory.TOKENS.count(e.message().orElseThrow())).sum();
    }

    /**
     * The sendable units of a run of entries, oldest first: a call with the tool messages after it up to
     * its last answer (strays skipped), whole or not at all; any other readable message alone.
     */
    static List<List<Entry>> units(List<Entry> entries) {
        List<Entry> messages = entries.stream().filter(e -> e.kind() == EntryKind.MESSAGE).toList();
        List<List<Entry>> out = new ArrayList<>();
        int i = 0;
        while (i < messages.size()) {
            Entry entry = messages.get(i);
            i++;
            if (entry.isRedacted() || role(entry) == Role.TOOL) {
                continue;
            }
            Message message = entry.message().orElseThrow();
            if (message.toolCalls().isEmpty()) {
                out.add(List.of(entry));
                continue;
            }
            Set<String> unanswered = new HashSet<>();
            message.toolCalls().forEach(c -> unanswered.add(c.id()));
            List<Entry> group = new ArrayList<>(List.of(entry));
            boolean whole = true;
            while (i < messages.size() && role(messages.get(i)) == Role.TOOL && !unanswered.isEmpty()) {
                Entry result = messages.get(i);
                i++;
                if (result.isRedacted()) {
                    whole = false;
                    continue;
                }
                List<String> answers = result.message().orElseThrow().toolResults().stream().map(Part.ToolResult::callId).toList();
                if (unanswered.containsAll(answers) && Set.copyOf(answers).size() == answers.size()) {
                    group.add(result);
                    answers.forEach(unanswered::remove);
                }
            }
            if (whole && unanswered.isEmpty()) {
                out.add(group);
            }
        }
        return out;
    }

    private static Role role(Entry entry) {
        return entry.payload() instanceof Payload.Redacted r ? r.role() : entry.message().orElseThrow().role();
    }
}
