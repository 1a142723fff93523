package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Finds the units of pinned entries by point lookups and short scans around them, without walking the
 * path: a pinned tool call brings its results, a pinned result its call and the call's other results.
 *
 * <p>Results follow their call, and the store reads paths only backwards, so a call's results are found
 * by reading the entries written after it, in seq order, following the chain of parents. If the group
 * was edited (two continuations of one entry), the first written is taken. A group that is not whole
 * within {@value #MAX_SCAN} entries (see {@link Unit#group}) is not sent: never half a group.
 */
final class PinnedUnits {
    static final int MAX_SCAN = 1024;
    private static final int PAGE = 64;

    private PinnedUnits() {
    }

    /** The units of {@code pins}, except those of entries in {@code skip}, keyed and ordered by their first entry. */
    static SortedMap<EntryId, Unit> resolve(History history, Collection<EntryId> pins, Set<EntryId> skip) {
        SortedMap<EntryId, Unit> units = new TreeMap<>();
        Set<EntryId> covered = new HashSet<>(skip);
        for (EntryId pin : pins) {
            if (covered.contains(pin)) {
                continue;
            }
            history.find(pin).flatMap(entry -> unitOf(history, entry)).ifPresent(unit -> {
                units.putIfAbsent(unit.first(), unit);
                unit.entries().forEach(e -> covered.add(e.id()));
            });
        }
        return units;
    }

    private static Optional<Unit> unitOf(History history, Entry entry) {
        if (entry.kind() != EntryKind.MESSAGE || entry.isRedacted()) {
            return Optional.empty();
        }
        Message message = entry.message().orElseThrow();
        if (message.role() == Role.TOOL) {
            return callBefore(history, entry).flatMap(call -> groupAfter(history, call)).filter(u -> u.contains(entry.id()));
        }
        if (!message.toolCalls().isEmpty()) {
            return groupAfter(history, entry);
        }
        return Optional.of(Unit.single(entry));
    }

    private static Optional<Entry> callBefore(History history, Entry result) {
        EntryId cursor = result.parent();
        int scanned = 0;
        while (cursor != null && scanned < MAX_SCAN) {
            List<Entry> page = history.path(cursor, Math.min(PAGE, MAX_SCAN - scanned));
            for (int i = page.size() - 1; i >= 0; i--) {
                Entry entry = page.get(i);
                scanned++;
                if (entry.kind() != EntryKind.MESSAGE || roleOf(entry) == Role.TOOL) {
                    continue;
                }
                return entry.message().filter(m -> !m.toolCalls().isEmpty()).map(m -> entry);
            }
            cursor = page.getFirst().parent();
        }
        return Optional.empty();
    }

    /** The group of {@code call}, from the tool messages that follow it on its chain, as {@link Unit#group} forms it. */
    private static Optional<Unit> groupAfter(History history, Entry call) {
        List<Entry> following = new ArrayList<>();
        EntryId current = call.id();
        long after = call.seq();
        int scanned = 0;
        while (scanned < MAX_SCAN) {
            List<Entry> page = history.after(after, Math.min(PAGE, MAX_SCAN - scanned));
            if (page.isEmpty()) {
                return Optional.empty();
            }
            for (Entry entry : page) {
                scanned++;
                after = entry.seq();
                if (!current.equals(entry.parent())) {
                    continue;
                }
                current = entry.id();
                if (entry.kind() != EntryKind.MESSAGE) {
                    continue;
                }
                if (roleOf(entry) != Role.TOOL) {
                    return Optional.empty();
                }
                following.add(entry);
                if (entry.isRedacted()) {
                    // before the last answer, so it may have been one: the group cannot be sent whole
                    return Unit.group(call, following);
                }
                Optional<Unit> group = Unit.group(call, following);
                if (group.isPresent()) {
                    return group;
                }
            }
        }
        return Optional.empty();
    }

    private static Role roleOf(Entry entry) {
        return switch (entry.payload()) {
            case Payload.MessagePayload m -> m.message().role();
            case Payload.Redacted r -> r.role();
            default -> null;
        };
    }
}
