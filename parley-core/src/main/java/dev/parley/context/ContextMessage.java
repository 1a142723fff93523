package dev.parley.context;

import dev.parley.domain.EntryId;
import dev.parley.domain.Message;

import java.util.Objects;
import java.util.Optional;

/**
 * One message of a {@link Context}, with its tokens (framing included) and where it came from.
 *
 * @param entry the history entry it renders; {@code null} for the request and for a summary not yet appended
 */
public record ContextMessage(Message message, int tokens, EntryId entry, Source source) {

    /** Why a message is in the context. */
    public enum Source {
        /** The system prompt and initial prompts. */
        INITIAL,
        /** The latest summary, standing in for the history it covers. */
        SUMMARY,
        /** A pinned entry (with the rest of its tool-call group) older than the window. */
        PINNED,
        /** The window of recent history the policy chose. */
        HISTORY,
        /** The messages about to be sent, not yet in the history. */
        REQUEST
    }

    public ContextMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(source, "source");
    }

    public Optional<EntryId> entryId() {
        return Optional.ofNullable(entry);
    }
}
