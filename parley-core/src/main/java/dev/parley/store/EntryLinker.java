package dev.parley.store;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;

/** Links a draft under its parent: the one rule for seq, depth, message count and refs, shared by every store. */
public final class EntryLinker {
    private EntryLinker() {
    }

    /** The entry {@code draft} becomes when appended with {@code seq} under {@code parent} ({@code null} for a root). */
    public static Entry link(Entry parent, long seq, EntryDraft draft) {
        EntryId id = EntryId.of(seq);
        if (parent != null && parent.seq() >= seq) {
            throw new IllegalStateException("seq " + seq + " does not follow parent " + parent.seq());
        }
        EntryKind kind = draft.kind();
        int depth = parent == null ? 1 : parent.depth() + 1;
        int messages = (parent == null ? 0 : parent.messageCount()) + (kind == EntryKind.MESSAGE ? 1 : 0);
        EntryId stateRef = kind == EntryKind.STATE ? id : parent == null ? null : parent.stateRef();
        EntryId summaryRef = kind == EntryKind.SUMMARY ? id : parent == null ? null : parent.summaryRef();
        EntryId pinsRef = kind == EntryKind.PIN || kind == EntryKind.UNPIN ? id : parent == null ? null : parent.pinsRef();
        return new Entry(id, parent == null ? null : parent.id(), depth, messages, draft.at(), kind, draft.payload(),
                stateRef, summaryRef, pinsRef);
    }
}
