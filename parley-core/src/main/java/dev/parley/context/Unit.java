package dev.parley.context;

import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a policy keeps or drops as a whole: one message, or an assistant message with tool calls
 * together with the tool messages answering every one of its calls. Entries oldest first; every entry
 * is a readable (not redacted) message.
 */
record Unit(List<Entry> entries) {

    Unit {
        entries = List.copyOf(entries);
    }

    static Unit single(Entry entry) {
        return new Unit(List.of(entry));
    }

    /**
     * The group {@code call} forms with the tool messages following it ({@code following}, oldest
     * first): the messages up to the one answering its last unanswered call. A message answering no
     * call of the group, or a call already answered, is a stray and is left out. Empty when the group
     * cannot be sent whole: a call unanswered, or a redacted message before the last answer (it may
     * have been an answer). Providers reject a call without its results and a result without its call.
     */
    static Optional<Unit> group(Entry call, List<Entry> following) {
        Set<String> unanswered = new HashSet<>();
        call.message().orElseThrow().toolCalls().forEach(c -> unanswered.add(c.id()));
        List<Entry> members = new ArrayList<>();
        members.add(call);
        for (Entry entry : following) {
            if (unanswered.isEmpty()) {
                break;
            }
            Optional<Message> message = entry.message();
            if (message.isEmpty() || message.get().role() != Role.TOOL) {
                return Optional.empty();
            }
            List<String> answers = message.get().toolResults().stream().map(Part.ToolResult::callId).toList();
            if (unanswered.containsAll(answers) && new HashSet<>(answers).size() == answers.size()) {
                members.add(entry);
                answers.forEach(unanswered::remove);
            }
        }
        return unanswered.isEmpty() ? Optional.of(new Unit(members)) : Optional.empty();
    }

    EntryId first() {
        return entries.getFirst().id();
    }

    EntryId last() {
        return entries.getLast().id();
    }

    int size() {
        return entries.size();
    }

    boolean contains(EntryId id) {
        return entries.stream().anyMatch(e -> e.id().equals(id));
    }

    boolean containsAny(Set<EntryId> ids) {
        return !ids.isEmpty() && entries.stream().anyMatch(e -> ids.contains(e.id()));
    }

    boolean allMatch(Predicate<Entry> predicate) {
        return entries.stream().allMatch(predicate);
    }

    List<Message> messages() {
        return entries.stream().map(e -> e.message().orElseThrow()).toList();
    }
}
