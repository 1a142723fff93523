package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Walks a path back from its head, one {@link Unit} at a time, reading pages only as far as the
 * caller asks: the cost of a context is the window it takes, not the history behind it. Pages grow
 * geometrically, so the entries read beyond the window are fewer than those in it, and never reach
 * below the floor (the initial context or the end of the latest summary's range).
 *
 * <p>Messages that cannot be sent are skipped on the way: redacted ones, tool results whose call is
 * missing or redacted, calls whose results are missing, and groups with a redacted result.
 */
final class UnitWalker {
    static final int FIRST_PAGE = 16;
    private static final int MAX_PAGE = 1024;

    private final History history;
    private final int floorDepth;
    private final ArrayDeque<Entry> page = new ArrayDeque<>();
    private final ArrayDeque<Entry> pendingResults = new ArrayDeque<>();
    private EntryId cursor;
    private int cursorDepth;
    private int pageSize = FIRST_PAGE;
    private Entry oldest;

    /**
     * A walk down to, but excluding, the entries at depth {@code floorDepth} or less, starting with {@code firstPage}:
     * the last entries of the path, oldest first, already read (empty: an empty branch). Its entries at the floor or
     * below are passed over.
     */
    UnitWalker(History history, List<Entry> firstPage, int floorDepth) {
        this.history = history;
        this.floorDepth = floorDepth;
        if (firstPage.isEmpty()) {
            this.cursor = null;
            this.cursorDepth = 0;
            return;
        }
        for (Entry entry : firstPage) {
            if (entry.depth() > floorDepth) {
                page.addFirst(entry);
            }
        }
        Entry first = firstPage.getFirst();
        this.cursor = first.parent();
        this.cursorDepth = first.depth() - 1;
        this.pageSize = Math.min(FIRST_PAGE * 2, MAX_PAGE);
    }

    /** The units of an in-memory run of entries (oldest first), oldest first. */
    static List<Unit> units(List<Entry> entries) {
        UnitWalker scanner = new UnitWalker(null, List.of(), 0);
        List<Unit> out = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Unit unit = scanner.accept(entries.get(i));
            if (unit != null) {
                out.add(unit);
            }
        }
        Collections.reverse(out);
        return out;
    }

    /** The next whole unit going back in time, or {@code null} when the path above the floor is used up. */
    Unit next() {
        for (Entry entry = nextEntry(); entry != null; entry = nextEntry()) {
            Unit unit = accept(entry);
            if (unit != null) {
                return unit;
            }
        }
        pendingResults.clear();
        return null;
    }

    /** The oldest entry above the floor read so far. */
    Entry oldest() {
        return oldest;
    }

    private Entry nextEntry() {
        if (page.isEmpty()) {
            int limit = Math.min(pageSize, cursorDepth - floorDepth);
            if (cursor == null || limit <= 0) {
                return null;
            }
            List<Entry> read = history.path(cursor, limit);
            pageSize = Math.min(pageSize * 2, MAX_PAGE);
            read.forEach(page::addFirst);
            Entry first = read.getFirst();
            cursor = first.parent();
            cursorDepth = first.depth() - 1;
        }
        oldest = page.pollFirst();
        return oldest;
    }

    /** Takes the next entry going back; returns the unit it completes, if any. */
    private Unit accept(Entry entry) {
        if (entry.kind() != EntryKind.MESSAGE) {
            return null;
        }
        if (entry.payload() instanceof Payload.Redacted redacted) {
            if (redacted.role() == Role.TOOL) {
                // kept so the group it belongs to is recognised, and then refused, as a whole
                pendingResults.addFirst(entry);
            } else {
                pendingResults.clear();
            }
            return null;
        }
        Message message = entry.message().orElseThrow();
        if (message.role() == Role.TOOL) {
            pendingResults.addFirst(entry);
            return null;
        }
        if (!message.toolCalls().isEmpty()) {
            Unit group = Unit.group(entry, List.copyOf(pendingResults)).orElse(null);
            pendingResults.clear();
            return group;
        }
        pendingResults.clear();
        return Unit.single(entry);
    }
}
