package dev.parley.store;

import dev.parley.InvalidInputException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.SessionInfo;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a {@link SessionImage} is a consistent tree before any store writes it: links, depths,
 * counts and refs must be exactly what appending would have produced. An import of a corrupt or
 * hand-edited document fails here, naming the first inconsistency, and nothing is written.
 */
public final class SessionImages {
    private SessionImages() {
    }

    public static void validate(SessionImage image) {
        SessionInfo info = image.info();
        Map<EntryId, Entry> byId = new HashMap<>();
        long maxSeq = 0;
        for (Entry entry : image.entries()) {
            String at = "entry " + entry.id();
            if (byId.put(entry.id(), entry) != null) {
                throw invalid(at + " appears twice");
            }
            Entry parent = null;
            if (entry.parent() != null) {
                parent = byId.get(entry.parent());
                if (parent == null) {
                    throw invalid(at + " has parent " + entry.parent() + ", which is not an earlier entry");
                }
            }
            Entry expected = EntryLinker.link(parent, entry.seq(), new EntryDraft(entry.at(), entry.kind(), entry.payload()));
            if (!expected.equals(entry)) {
                throw invalid(at + " has inconsistent links (depth, message count or refs)");
            }
            if (entry.kind() == EntryKind.SUMMARY && entry.payload() instanceof dev.parley.domain.Payload.SummaryPayload s
                    && s.to().value() >= entry.seq()) {
                throw invalid(at + " summarises entries that come after it");
            }
            maxSeq = Math.max(maxSeq, entry.seq());
        }
        if (info.lastSeq() < maxSeq) {
            throw invalid("session lastSeq " + info.lastSeq() + " is below its newest entry " + maxSeq);
        }
        if (info.initialHead() != null && !byId.containsKey(info.initialHead())) {
            throw invalid("session initialHead " + info.initialHead() + " is not an entry");
        }
        Set<String> names = new HashSet<>();
        boolean hasMain = false;
        for (Branch branch : image.branches()) {
            if (!names.add(branch.name())) {
                throw invalid("branch " + branch.name() + " appears twice");
            }
            hasMain |= branch.name().equals(dev.parley.domain.Names.MAIN);
            if (branch.head() != null && !byId.containsKey(branch.head())) {
                throw invalid("branch " + branch.name() + " points at missing entry " + branch.head());
            }
        }
        if (!hasMain) {
            throw invalid("the session has no branch main");
        }
        if (!names.contains(info.currentBranch())) {
            throw invalid("current branch " + info.currentBranch() + " does not exist");
        }
        Set<String> checkpoints = new HashSet<>();
        for (Checkpoint checkpoint : image.checkpoints()) {
            if (!checkpoints.add(checkpoint.name())) {
                throw invalid("checkpoint " + checkpoint.name() + " appears twice");
            }
            if (!byId.containsKey(checkpoint.entry())) {
                throw invalid("checkpoint " + checkpoint.name() + " marks missing entry " + checkpoint.entry());
            }
        }
        Set<String> placeholders = new HashSet<>();
        Set<String> lookups = new HashSet<>();
        for (VaultRow row : image.vault()) {
            if (!placeholders.add(row.placeholder()) || !lookups.add(row.lookup())) {
                throw invalid("vault row " + row.placeholder() + " is not unique");
            }
        }
        Objects.requireNonNull(image.counters());
    }

    /** The entries of the path ending at {@code head}, oldest first, taken from a list holding at least that path. */
    public static List<Entry> pathWithin(List<Entry> entries, EntryId head) {
        Map<EntryId, Entry> byId = new HashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        java.util.ArrayDeque<Entry> path = new java.util.ArrayDeque<>();
        for (EntryId cursor = head; cursor != null; ) {
            Entry e = byId.get(cursor);
            if (e == null) {
                throw invalid("entry " + cursor + " is missing from the path");
            }
            path.addFirst(e);
            cursor = e.parent();
        }
        return List.copyOf(path);
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("session", "invalid session image: " + message);
    }
}
