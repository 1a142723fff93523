package dev.parley.models.chat;

import dev.parley.InvalidInputException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Role;
import dev.parley.models.ModelParams;
import dev.parley.models.ToolSpec;
import dev.parley.store.SessionSnapshot;

import java.util.List;
import java.util.Objects;

/**
 * One chat turn: what the caller adds (usually one user message), and optionally another provider or model for this
 * call only, per-call parameters, the branch (default {@code main}) and an idempotency key.
 *
 * <p>Clients that keep their own copy of the conversation (the OpenAI-compatible gateway) need more, each set by a
 * {@code with…} method:
 * <ul>
 *   <li>{@link #of(List)}: several messages before the model's reply, e.g. the results of tools the caller ran and
 *       then a user message; all of them are appended with the reply;</li>
 *   <li>{@link #from(EntryId)}: continue from this entry instead of the branch head (an edited or regenerated earlier
 *       turn): the context ends there, the turn is appended after it and the branch moves to the turn; the old head is
 *       kept as checkpoint {@code auto/<seq>} unless something else references it. With {@code from}, the turn may
 *       add no message of its own: the model answers again from that point;</li>
 *   <li>{@link #instructions(List)}: system messages sent before the context for this call only, never stored;</li>
 *   <li>{@link #callerTools(List)}: tools the caller runs itself. They are offered to the model; a reply that calls
 *       them ends the turn with the calls unexecuted (stored as the assistant's message, returned with restored
 *       arguments), and the caller sends the results in a later turn. Such a turn makes one model call and cannot
 *       be combined with the chat's own {@link dev.parley.models.tools.ToolRegistry}.</li>
 *   <li>{@link #knownSession(SessionSnapshot)}: the session as the caller read it just before, which the turn then uses
 *       instead of reading the session again. The turn is lined up with that snapshot's branch head: if another write
 *       has moved the branch since, the turn fails with a {@code HEAD} conflict (under
 *       {@link AdmissionPolicy#QUEUE} it is tried again with a fresh read). The gateway reads the session to reconcile
 *       a client's history, and so passes what it read.</li>
 *   <li>{@link #knownPath(List)}: a path of the session the caller read with that snapshot, from a root, oldest
 *       first; the turn's context is built from it where it reaches instead of reading the entries again. The gateway
 *       reads the whole path to line a client's resent history up with it.</li>
 * </ul>
 *
 * @param messages       what the caller adds before the reply, in order (sanitised before the model or the store sees them)
 * @param from           the entry to continue from, or {@code null} for the branch head
 * @param instructions   system messages for this call only
 * @param callerTools    tools the caller runs
 * @param knownSession   the session as the caller just read it, or {@code null} for the turn to read it
 * @param knownPath      a path of the session read with {@code knownSession}, from a root; empty when there is none
 */
public record TurnOptions(List<Message> messages, String provider, String model, ModelParams params, String branch,
                          String idempotencyKey, EntryId from, List<Message> instructions, List<ToolSpec> callerTools,
                          SessionSnapshot knownSession, List<Entry> knownPath) {
    public TurnOptions {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty() && from == null) {
            throw new InvalidInputException("messages", "a chat turn needs a message (or an entry to continue from)");
        }
        params = Objects.requireNonNullElse(params, ModelParams.NONE);
        branch = branch == null ? Names.MAIN : Names.branch(branch);
        instructions = List.copyOf(Objects.requireNonNullElse(instructions, List.of()));
        for (Message m : instructions) {
            if (m.role() != Role.SYSTEM) {
                throw new InvalidInputException("instructions", "instructions are system messages, not " + m.role().wireName());
            }
        }
        callerTools = List.copyOf(Objects.requireNonNullElse(callerTools, List.of()));
        knownPath = List.copyOf(Objects.requireNonNullElse(knownPath, List.of()));
        if (!knownPath.isEmpty() && knownSession == null) {
            throw new InvalidInputException("knownPath", "a known path needs the known session it was read with");
        }
    }

    /** A turn without a path read beforehand, as before {@link #knownPath(List)} existed. */
    public TurnOptions(List<Message> messages, String provider, String model, ModelParams params, String branch,
                       String idempotencyKey, EntryId from, List<Message> instructions, List<ToolSpec> callerTools,
                       SessionSnapshot knownSession) {
        this(messages, provider, model, params, branch, idempotencyKey, from, instructions, callerTools, knownSession, List.of());
    }

    /** A turn the session is read for, as before {@link #knownSession(SessionSnapshot)} existed. */
    public TurnOptions(List<Message> messages, String provider, String model, ModelParams params, String branch,
                       String idempotencyKey, EntryId from, List<Message> instructions, List<ToolSpec> callerTools) {
        this(messages, provider, model, params, branch, idempotencyKey, from, instructions, callerTools, null);
    }

    /** A turn that starts with the user's {@code message}. */
    public TurnOptions(Message message, String provider, String model, ModelParams params, String branch, String idempotencyKey) {
        this(List.of(requireUser(message)), provider, model, params, branch, idempotencyKey, null, null, null);
    }

    private static Message requireUser(Message message) {
        Objects.requireNonNull(message, "message");
        if (message.role() != Role.USER) {
            throw new InvalidInputException("message", "a chat turn starts with a user message, not " + message.role().wireName());
        }
        return message;
    }

    public static TurnOptions of(String text) {
        return new TurnOptions(Message.user(Objects.requireNonNull(text, "text")), null, null, null, null, null);
    }

    /**
     * A turn adding {@code messages} before the reply, e.g. tool results then a user message. A system message here is
     * stored in the history like the others; one for this call only is an {@link #instructions instruction}.
     */
    public static TurnOptions of(List<Message> messages) {
        return new TurnOptions(messages, null, null, null, null, null, null, null, null);
    }

    public TurnOptions provider(String name, String modelName) {
        return new TurnOptions(messages, name, modelName, params, branch, idempotencyKey,
                from, instructions, callerTools, knownSession, knownPath);
    }

    public TurnOptions params(ModelParams newParams) {
        return new TurnOptions(messages, provider, model, newParams, branch, idempotencyKey,
                from, instructions, callerTools, knownSession, knownPath);
    }

    public TurnOptions branch(String name) {
        return new TurnOptions(messages, provider, model, params, name, idempotencyKey,
                from, instructions, callerTools, knownSession, knownPath);
    }

    public TurnOptions idempotencyKey(String key) {
        return new TurnOptions(messages, provider, model, params, branch, key,
                from, instructions, callerTools, knownSession, knownPath);
    }

    /** Continue from {@code entry} (see the class comment); {@code null}: from the branch head. */
    public TurnOptions from(EntryId entry) {
        return new TurnOptions(messages, provider, model, params, branch, idempotencyKey,
                entry, instructions, callerTools, knownSession, knownPath);
    }

    public TurnOptions instructions(List<Message> system) {
        return new TurnOptions(messages, provider, model, params, branch, idempotencyKey,
                from, system, callerTools, knownSession, knownPath);
    }

    public TurnOptions callerTools(List<ToolSpec> tools) {
        return new TurnOptions(messages, provider, model, params, branch, idempotencyKey,
                from, instructions, tools, knownSession, knownPath);
    }

    /** The session as the caller just read it; the turn uses it instead of reading the session (see the class comment). */
    public TurnOptions knownSession(SessionSnapshot snapshot) {
        return new TurnOptions(messages, provider, model, params, branch, idempotencyKey,
                from, instructions, callerTools, snapshot, knownPath);
    }

    /** A path of the session read with the known session; the context is built from it (see the class comment). */
    public TurnOptions knownPath(List<Entry> path) {
        return new TurnOptions(messages, provider, model, params, branch, idempotencyKey,
                from, instructions, callerTools, knownSession, path);
    }
}
