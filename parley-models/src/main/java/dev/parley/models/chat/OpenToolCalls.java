package dev.parley.models.chat;

import dev.parley.Session;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Role;

import java.util.List;

/**
 * The tool calls at the end of a path whose results a turn brings (the caller ran them), with any of their results
 * already stored. A context never holds calls without all their results, so the calls are taken out of the history
 * and sent with the turn's own messages instead.
 *
 * @param contextHead where the history sent before them ends
 * @param messages    the calls and the results already stored, oldest first
 */
record OpenToolCalls(EntryId contextHead, List<Message> messages) {
    /** How far back the calls are looked for. */
    private static final int MAX_RESULTS = 64;

    static OpenToolCalls none(EntryId head) {
        return new OpenToolCalls(head, List.of());
    }

    /** The open calls ending at {@code head} of {@code session}, if the path ends with an assistant's calls and results. */
    static OpenToolCalls before(Session session, EntryId head) {
        if (head == null) {
            return none(null);
        }
        List<Entry> tail = session.parley().store().path(session.tenant(), session.id(), head, MAX_RESULTS + 1);
        for (int i = tail.size() - 1; i >= 0; i--) {
            Message message = tail.get(i).message().orElse(null);
            boolean calls = message != null && message.role() == Role.ASSISTANT && !message.toolCalls().isEmpty();
            if (calls) {
                List<Message> group = tail.subList(i, tail.size()).stream().map(e -> e.message().orElseThrow()).toList();
                return new OpenToolCalls(tail.get(i).parent(), group);
            }
            if (message == null || message.role() != Role.TOOL) {
                break;
            }
        }
        return none(head);
    }
}
