package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionStore;
import dev.parley.tokens.MessageTokens;
import dev.parley.tokens.TokenCountCache;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the context a model is sent from a session's history, as a {@link ContextPolicy} chooses.
 *
 * <p>The cost is O(window): the builder reads the path back from the head in growing pages only as
 * far as the policy takes it, and stops at the end of the latest summary's range; the initial context
 * (the chain ending at {@link SessionInfo#initialHead()}), the latest summary and the pinned entries
 * are point lookups through the head's refs. Token counts come from a {@link TokenCountCache}, so
 * each entry is counted once per tokenizer.
 *
 * <p>Layout: initial context, latest summary, pinned entries older than the window (oldest first),
 * the window, the request. Never sent: redacted messages; a tool result whose call is missing or
 * redacted, or that answers no call of the group it follows (a stray); a call any of whose results is
 * missing or redacted, together with its other results (a redacted result takes its whole group out
 * rather than being replaced by made-up content).
 *
 * <p>The initial context is the session's, on every branch: the chain ending at
 * {@link SessionInfo#initialHead()}; entries of a path at its depth or less are never sent from the
 * path itself. A summary is sent as a system message, {@code "Summary of the earlier conversation:\n"}
 * followed by its text, with metadata {@code parley.summary=<from>..<to>}.
 *
 * <p>The builder writes nothing. When a summarising policy summarises, the summary comes back as
 * {@link Context#summaryToAppend()} for the caller to append to the branch. Thread-safe.
 */
public final class ContextBuilder {
    private final SessionStore store;
    private final TokenCountCache cache;
    private final Clock clock;

    public ContextBuilder(SessionStore store, TokenCountCache cache, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The context of the path ending at {@code head} ({@code null}: an empty branch), with no request. */
    public Context build(TenantId tenant, SessionId session, EntryId head, ContextPolicy policy, MessageTokens tokens) {
        return build(tenant, session, head, policy, tokens, List.of(), true);
    }

    /**
     * The context of the path ending at {@code head} followed by {@code request} (the messages about
     * to be sent, always included). With {@code summarise} false a summarising policy never calls its
     * summariser.
     */
    public Context build(TenantId tenant, SessionId session, EntryId head, ContextPolicy policy, MessageTokens tokens,
                         List<Message> request, boolean summarise) {
        requireArguments(policy, tokens, request);
        SessionInfo info = store.find(tenant, session).orElseThrow(() -> new NotFoundException("no session " + session))
                .info();
        return assemble(new History(store, info.tenant(), info.id()), info, head, policy, tokens, request, summarise);
    }

    private Context assemble(History history, SessionInfo info, EntryId head, ContextPolicy policy, MessageTokens tokens,
                             List<Message> request, boolean summarise) {
        return new Assembly(history, info, tokens, cache, clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build(head, policy, List.copyOf(request), summarise);
    }

    private static void requireArguments(ContextPolicy policy, MessageTokens tokens, List<Message> request) {
        if (policy == null) {
            throw new InvalidInputException("policy", "a context policy is required");
        }
        Objects.requireNonNull(tokens, "tokens");
        if (request == null || request.stream().anyMatch(Objects::isNull)) {
            throw new InvalidInputException("request", "request must be a list of messages without nulls");
        }
    }

    /** A source for a {@link Quota}: the context of the path ending at whatever {@code head} supplies when asked. */
    public ContextSource source(TenantId tenant, SessionId session, Supplier<EntryId> head) {
        Objects.requireNonNull(head, "head");
        return (policy, tokens, request, summarise) -> build(tenant, session, head.get(), policy, tokens, request, summarise);
    }

    /**
     * A source for a {@link Quota} over the session whose row ({@code session}) the caller has just read, as a chat turn
     * does: each build reads the path but not the row again (what a context takes from the row, the initial head and
     * the identity, never changes).
     */
    public ContextSource source(SessionInfo session, Supplier<EntryId> head) {
        return source(session, head, List.of());
    }

    /**
     * {@link #source(SessionInfo, Supplier)} over a path of the session the caller has also just read, from a root,
     * oldest first (as the gateway does to line a client's history up with the session): the reads it covers are
     * served from it, so a context ending on it reads nothing more. Entries never change once written, but a
     * redaction does: the context shows the entries as they were when the caller read them.
     *
     * @throws InvalidInputException if {@code knownPath} does not start at a root or is not one unbroken path
     */
    public ContextSource source(SessionInfo session, Supplier<EntryId> head, List<Entry> knownPath) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(head, "head");
        List<Entry> known = requirePath(knownPath);
        return (policy, tokens, request, summarise) -> {
            requireArguments(policy, tokens, request);
            History history = new History(store, session.tenant(), session.id(), known);
            return assemble(history, session, head.get(), policy, tokens, request, summarise);
        };
    }

    /**
     * Remembers the counts {@code context} made of its request messages for the entries that now hold them, so the
     * next context does not count them again: a turn's user message is then counted once, as the request. An entry is
     * remembered only if its message is equal to a request message of the context (the same text, parts and name):
     * one stored in another form than was counted (a placeholder renamed, say) is counted afresh when next needed.
     *
     * @param tokens   the counter {@code context} was built with
     * @param appended the entries the turn appended, as the store returned them
     */
    public void rememberRequestCounts(SessionInfo session, Context context, MessageTokens tokens, List<Entry> appended) {
        Objects.requireNonNull(tokens, "tokens");
        List<ContextMessage> requested = new ArrayList<>(context.messages().stream()
                .filter(m -> m.source() == ContextMessage.Source.REQUEST).toList());
        for (Entry entry : appended) {
            Optional<Message> stored = entry.message();
            if (stored.isEmpty()) {
                continue;
            }
            for (int i = 0; i < requested.size(); i++) {
                if (requested.get(i).message().equals(stored.get())) {
                    cache.remember(session, entry.id(), tokens, stored.get(), requested.remove(i).tokens());
                    break;
                }
            }
        }
    }

    private static List<Entry> requirePath(List<Entry> path) {
        List<Entry> copy = List.copyOf(Objects.requireNonNull(path, "knownPath"));
        for (int i = 0; i < copy.size(); i++) {
            EntryId expected = i == 0 ? null : copy.get(i - 1).id();
            if (!Objects.equals(copy.get(i).parent(), expected)) {
                throw new InvalidInputException("knownPath", "knownPath must run from a root, each entry the child of the one "
                        + "before: entry " + copy.get(i).id() + " at position " + i + " has parent " + copy.get(i).parent()
                        + ", not " + expected);
            }
        }
        return copy;
    }
}
