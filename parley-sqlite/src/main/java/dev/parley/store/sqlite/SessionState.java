package dev.parley.store.sqlite;

import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionInfo;
import dev.parley.store.SessionSnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the writer knows of one session: its row's key, its row, its branches, and the entries at
 * its branch heads (the parents of the next appends). Immutable; a write replaces it.
 */
record SessionState(long pk, SessionInfo info, Map<String, Branch> branches, Map<EntryId, Entry> heads) {
    SessionState {
        branches = Map.copyOf(branches);
        heads = Map.copyOf(heads);
    }

    SessionSnapshot snapshot() {
        return new SessionSnapshot(info, branches);
    }

    /** The state after a write: the new row and branches, keeping only entries that are still branch heads. */
    SessionState next(SessionInfo newInfo, Map<String, Branch> newBranches, List<Entry> appended) {
        Map<EntryId, Entry> known = new HashMap<>(heads);
        appended.forEach(e -> known.put(e.id(), e));
        Map<EntryId, Entry> newHeads = new HashMap<>();
        for (Branch branch : newBranches.values()) {
            Entry head = branch.head() == null ? null : known.get(branch.head());
            if (head != null) {
                newHeads.put(head.id(), head);
            }
        }
        return new SessionState(pk, newInfo, newBranches, newHeads);
    }
}
