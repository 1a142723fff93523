package dev.parley.context;

import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.store.EntryDraft;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model is sent: the messages in order (initial context, latest summary, pinned entries older
 * than the window, the window, the request), their tokens, and what the policy left out.
 *
 * @param messages        in the order to send them
 * @param totalTokens     the tokens of the whole request: every message plus the reply priming
 * @param omittedMessages messages of the path not sent (windowed out, summarised, filtered, redacted,
 *                        or tool-call groups left incomplete)
 * @param truncated       the window stopped before the start of the history it could use: the policy dropped messages
 * @param summaryDraft    a summary the policy made now, for the caller to append ({@code null} if none)
 */
public record Context(List<ContextMessage> messages, int totalTokens, int omittedMessages, boolean truncated,
                      EntryDraft summaryDraft) {

    public Context {
        messages = List.copyOf(messages);
    }

    /** The messages alone, in order: what a model adapter renders. */
    public List<Message> toMessages() {
        return messages.stream().map(ContextMessage::message).toList();
    }

    /** The history entries rendered, in order (the request and an unsaved summary have none). */
    public List<EntryId> entries() {
        return messages.stream().map(ContextMessage::entry).filter(Objects::nonNull).toList();
    }

    /**
     * The SUMMARY entry to append to the branch when the policy summarised now. The builder writes
     * nothing; once the caller appends it, later contexts use it instead of the range it covers.
     */
    public Optional<EntryDraft> summaryToAppend() {
        return Optional.ofNullable(summaryDraft);
    }

    /** Whether building this context had to drop or summarise history: what fires an overflow listener. */
    public boolean overflowed() {
        return truncated || summaryDraft != null;
    }
}
