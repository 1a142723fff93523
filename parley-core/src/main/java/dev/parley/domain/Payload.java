package dev.parley.domain;

import dev.parley.InvalidInputException;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** What an entry carries; each variant belongs to one {@link EntryKind}. */
public sealed interface Payload {

    /** Whether this payload may be carried by an entry of {@code kind}. */
    boolean fits(EntryKind kind);

    record MessagePayload(Message message) implements Payload {
        public MessagePayload {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean fits(EntryKind kind) {
            return kind == EntryKind.MESSAGE;
        }
    }

    /**
     * A change to session-scope state. Values are JSON texts. {@code snapshot} is the whole
     * session-scope state after the change, so the state at any entry is one lookup.
     */
    record StatePayload(Map<String, String> set, Set<String> removed, Map<String, String> snapshot) implements Payload {
        public StatePayload {
            set = Map.copyOf(set);
            removed = Set.copyOf(removed);
            snapshot = Map.copyOf(snapshot);
        }

        @Override
        public boolean fits(EntryKind kind) {
            return kind == EntryKind.STATE;
        }
    }

    /**
     * A summary of the entries {@code from}..{@code to} (inclusive) of the path it was appended to.
     * Later contexts use it instead of that range; the summarised entries stay in the tree.
     */
    record SummaryPayload(String text, EntryId from, EntryId to) implements Payload {
        public SummaryPayload {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.value() > to.value()) {
                throw new InvalidInputException("summary range", "summary range must run forward: " + from + ".." + to);
            }
        }

        @Override
        public boolean fits(EntryKind kind) {
            return kind == EntryKind.SUMMARY;
        }
    }

    /** The pin set after pinning or unpinning {@code target}. */
    record PinsPayload(EntryId target, SortedSet<EntryId> pins) implements Payload {
        public PinsPayload {
            Objects.requireNonNull(target, "target");
            pins = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(pins));
        }

        @Override
        public boolean fits(EntryKind kind) {
            return kind == EntryKind.PIN || kind == EntryKind.UNPIN;
        }
    }

    /** What is left of a redacted message: who erased it and when. The only in-place change to history. */
    record Redacted(Role role, String by, Instant at) implements Payload {
        public Redacted {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(at, "at");
            if (by == null || by.isBlank()) {
                throw new InvalidInputException("redacted by", "redacted by is required");
            }
        }

        @Override
        public boolean fits(EntryKind kind) {
            return kind == EntryKind.MESSAGE;
        }
    }
}
