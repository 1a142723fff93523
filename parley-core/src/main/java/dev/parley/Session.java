package dev.parley;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.EntryDraft;
import dev.parley.store.Idempotency;
import dev.parley.store.PointerOp;
import dev.parley.store.Scope;
import dev.parley.store.SessionPatch;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.SessionStore;
import dev.parley.store.Target;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentMap;

/**
 * A handle on one session, working on one branch ({@code main} unless {@link #on(String)} says
 * otherwise). Every method reads from or writes to the store at once, so handles are cheap, hold no
 * stale copy, and several processes can work on one session. Thread-safe.
 *
 * <p>Appends never rewrite history: the session is a tree of entries, and branches and checkpoints
 * are pointers into it. Moving a branch back ({@link #restore}, {@link #clear}, {@link #edit}) first
 * saves its old head as checkpoint {@code auto/<seq>} if nothing else references it.
 *
 * <p>The in-process {@link dev.parley.api.SessionHandle}; what only makes sense next to the store (the quota builder,
 * budget reservations, analytics with a price table, {@code summarizeAndContinue} with a local summariser) is only here.
 */
public final class Session implements dev.parley.api.SessionHandle {
    private final Parley parley;
    private final SessionId id;
    private final UserId user;
    private final String branch;
    private final ConcurrentMap<String, String> temp;

    Session(Parley parley, SessionId id, UserId user, String branch, ConcurrentMap<String, String> temp) {
        this.parley = parley;
        this.id = id;
        this.user = user;
        this.branch = Names.branch(branch);
        this.temp = temp;
    }

    // ---- identity ---------------------------------------------------------------------------------

    @Override
    public SessionId id() {
        return id;
    }

    public TenantId tenant() {
        return parley.tenant();
    }

    @Override
    public UserId user() {
        return user;
    }

    /** The branch this handle reads and appends to. */
    @Override
    public String branchName() {
        return branch;
    }

    /** A handle on another branch of the same session (sharing temp state). The branch must exist when used. */
    @Override
    public Session on(String branchName) {
        return new Session(parley, id, user, branchName, temp);
    }

    /** A handle on the branch last checked out (for humans; programs should name branches). */
    @Override
    public Session onCurrentBranch() {
        return on(snapshot().info().currentBranch());
    }

    /** The session's row: times, expiry, metadata, version. */
    @Override
    public SessionInfo info() {
        return snapshot().info();
    }

    @Override
    public long version() {
        return info().version();
    }

    /** The Parley (store, clock, tenant) this handle belongs to. */
    public Parley parley() {
        return parley;
    }

    private SessionStore store() {
        return parley.store();
    }

    SessionSnapshot snapshot() {
        return store().find(tenant(), id).orElseThrow(() -> new NotFoundException("no session " + id));
    }

    /** The head of this handle's branch, or {@code null} if the branch is empty. */
    @Override
    public EntryId head() {
        return branchOf(snapshot()).head();
    }

    private Branch branchOf(SessionSnapshot snapshot) {
        return snapshot.branch(branch).orElseThrow(() -> new NotFoundException("no branch " + branch + " in session " + id));
    }

    WriteResult write(WriteRequest.Builder request) {
        return store().write(tenant(), id, request.build());
    }

    // ---- messages ---------------------------------------------------------------------------------

    /** Appends one message to this branch. */
    @Override
    public Entry add(Message message) {
        return add(List.of(message), WriteOptions.NONE).getFirst();
    }

    @Override
    public Entry add(Message message, WriteOptions options) {
        return add(List.of(message), options).getFirst();
    }

    /** Appends several messages atomically, in order: all land or none. */
    @Override
    public List<Entry> add(List<Message> messages) {
        return add(messages, WriteOptions.NONE);
    }

    @Override
    public List<Entry> add(List<Message> messages, WriteOptions options) {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "at least one message is required");
        }
        java.time.Instant now = parley.now();
        List<EntryDraft> drafts = messages.stream()
                .map(m -> new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(m))).toList();
        WriteRequest.Builder request = WriteRequest.builder(now).append(branch, drafts).ifVersion(options.ifVersion());
        dev.parley.analytics.Counters.forMessages(messages).forEach(request::counter);
        if (options.ifHead() != null || options.ifEmpty()) {
            request.ifHead(branch, options.ifHead());
        }
        if (options.idempotencyKey() != null) {
            request.idempotency(new Idempotency(options.idempotencyKey(), requestHash(messages)));
        }
        return write(request).appended();
    }

    private String requestHash(List<Message> messages) {
        StringBuilder canonical = new StringBuilder(branch).append('\n');
        for (Message m : messages) {
            canonical.append(ParleyJson.write(ParleyJson.message(m))).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every entry of this branch's path, oldest first. Costs O(path). */
    @Override
    public List<Entry> history() {
        EntryId head = head();
        return head == null ? List.of() : store().path(tenant(), id, head, Integer.MAX_VALUE);
    }

    /** The last {@code limit} entries of this branch's path, oldest first. Costs O(limit). */
    @Override
    public List<Entry> history(int limit) {
        requirePositive("limit", limit);
        EntryId head = head();
        return head == null ? List.of() : store().path(tenant(), id, head, limit);
    }

    /** The path's messages (redacted ones left out), oldest first. */
    @Override
    public List<Message> messages() {
        return history().stream().flatMap(e -> e.message().stream()).toList();
    }

    /** The last {@code k} messages of the path, oldest first. Costs O(k) plus any non-message entries between them. */
    @Override
    public List<Message> last(int k) {
        return lastEntries(k).stream().flatMap(e -> e.message().stream()).toList();
    }

    /** The last {@code k} message entries of the path, oldest first. */
    @Override
    public List<Entry> lastEntries(int k) {
        requirePositive("k", k);
        List<Entry> found = new ArrayList<>();
        EntryId cursor = head();
        while (cursor != null && found.size() < k) {
            List<Entry> window = store().path(tenant(), id, cursor, Math.max(16, k - found.size()));
            for (int i = window.size() - 1; i >= 0 && found.size() < k; i--) {
                if (window.get(i).message().isPresent()) {
                    found.add(window.get(i));
                }
            }
            cursor = window.getFirst().parent();
        }
        Collections.reverse(found);
        return found;
    }

    /** Messages on this branch's path (system prompt and initial prompts included). O(1). */
    @Override
    public int size() {
        EntryId head = head();
        if (head == null) {
            return 0;
        }
        return store().entry(tenant(), id, head).map(Entry::messageCount).orElse(0);
    }

    @Override
    public Optional<Entry> entry(EntryId entryId) {
        return store().entry(tenant(), id, entryId);
    }

    /**
     * Starts this branch again from the system prompt, initial prompts and initial state.
     * The old head is kept as checkpoint {@code auto/<seq>} unless something else references it.
     */
    @Override
    public void clear() {
        SessionSnapshot snapshot = snapshot();
        EntryId initial = snapshot.info().initialHead();
        java.time.Instant now = parley.now();
        write(WriteRequest.builder(now)
                .op(new PointerOp.PreserveHead(branch, now))
                .op(new PointerOp.SetBranch(branch, initial == null ? new Target.Root() : Target.at(initial), PointerOp.Mode.MOVE)));
    }

    /**
     * Erases one message in place: its payload becomes a tombstone recording who erased it and when.
     * The only change Parley ever makes to a written entry.
     */
    @Override
    public Entry redact(EntryId entryId, String by) {
        return store().redact(tenant(), id, entryId, new Payload.Redacted(roleOf(entryId), by, parley.now()), parley.now());
    }

    private dev.parley.domain.Role roleOf(EntryId entryId) {
        Entry entry = store().entry(tenant(), id, entryId)
                .orElseThrow(() -> new NotFoundException("no entry " + entryId + " in session " + id));
        return switch (entry.payload()) {
            case Payload.MessagePayload m -> m.message().role();
            case Payload.Redacted r -> r.role();
            default -> throw new InvalidInputException("entry id", "entry " + entryId + " is a " + entry.kind()
                    + " entry; only messages can be redacted");
        };
    }

    // ---- metadata and state -----------------------------------------------------------------------

    @Override
    public Metadata metadata() {
        return new Metadata() {
            @Override
            public Optional<String> get(String key) {
                Metadatas.validateKey(key);
                return Optional.ofNullable(snapshot().info().metadata().get(key));
            }

            @Override
            public void set(String key, String value) {
                update(Map.of(key, value), Set.of());
            }

            @Override
            public void update(Map<String, String> put, Set<String> remove) {
                Metadatas.validate(put);
                remove.forEach(Metadatas::validateKey);
                write(WriteRequest.builder(parley.now()).patch(SessionPatch.metadata(put, remove)));
            }

            @Override
            public void remove(String key) {
                update(Map.of(), Set.of(key));
            }

            @Override
            public Map<String, String> all() {
                return snapshot().info().metadata();
            }
        };
    }

    @Override
    public SessionState state() {
        return new SessionState() {
            @Override
            public StateScope session() {
                return new SessionStateScope(Session.this);
            }

            @Override
            public StateScope user() {
                return new StoredStateScope(store(), tenant(), Scope.user(user));
            }

            @Override
            public StateScope app() {
                return new StoredStateScope(store(), tenant(), Scope.app());
            }

            @Override
            public StateScope temp() {
                return new TempStateScope(temp);
            }
        };
    }

    /** Session-scope state at an entry: one lookup through the entry's {@code stateRef}. */
    Map<String, String> stateAt(EntryId entryId) {
        if (entryId == null) {
            return Map.of();
        }
        Entry entry = store().entry(tenant(), id, entryId)
                .orElseThrow(() -> new NotFoundException("no entry " + entryId + " in session " + id));
        return snapshotOf(entry.stateRef());
    }

    private Map<String, String> snapshotOf(EntryId stateEntry) {
        if (stateEntry == null) {
            return Map.of();
        }
        Entry state = store().entry(tenant(), id, stateEntry)
                .orElseThrow(() -> new IllegalStateException("state entry " + stateEntry + " is missing"));
        return ((Payload.StatePayload) state.payload()).snapshot();
    }

    /** The STATE entries of this branch's path, newest first: the versions of session state. */
    @Override
    public List<Entry> stateVersions() {
        List<Entry> versions = new ArrayList<>();
        EntryId head = head();
        EntryId ref = head == null ? null : store().entry(tenant(), id, head).map(Entry::stateRef).orElse(null);
        while (ref != null) {
            Entry state = store().entry(tenant(), id, ref).orElseThrow();
            versions.add(state);
            ref = state.parent() == null ? null : store().entry(tenant(), id, state.parent()).map(Entry::stateRef).orElse(null);
        }
        return versions;
    }

    /** Brings back the session state of an earlier STATE entry, as a new version (history is kept). */
    @Override
    public void restoreState(EntryId version) {
        Entry entry = store().entry(tenant(), id, version)
                .orElseThrow(() -> new NotFoundException("no entry " + version + " in session " + id));
        if (entry.kind() != EntryKind.STATE) {
            throw new InvalidInputException("version", "entry " + version + " is a " + entry.kind()
                    + " entry, not a state version");
        }
        Map<String, String> target = ((Payload.StatePayload) entry.payload()).snapshot();
        Map<String, String> current = stateAt(head());
        Set<String> removed = new TreeSet<>(current.keySet());
        removed.removeAll(target.keySet());
        new SessionStateScope(this).change(target, removed);
    }

    // ---- checkpoints and branches ------------------------------------------------------------------

    /** Marks this branch's head with a name. */
    @Override
    public Checkpoint checkpoint(String name) {
        return checkpoint(name, null);
    }

    @Override
    public Checkpoint checkpoint(String name, String note) {
        Names.userCheckpoint(name);
        if (note != null && note.length() > 1000) {
            throw new InvalidInputException("note", "checkpoint note must be at most 1000 characters");
        }
        java.time.Instant now = parley.now();
        write(WriteRequest.builder(now).op(new PointerOp.AddCheckpoint(name, Target.head(branch), note, now)));
        return checkpointNamed(name);
    }

    private Checkpoint checkpointNamed(String name) {
        return store().checkpoint(tenant(), id, name)
                .orElseThrow(() -> new NotFoundException("no checkpoint " + name + " in session " + id));
    }

    /** Checkpoints automatically ({@code auto/<seq>}) each time a path reaches a multiple of {@code n} messages; 0 turns it off. */
    @Override
    public void checkpointEvery(int n) {
        if (n < 0) {
            throw new InvalidInputException("n", "checkpoint interval must be >= 0: " + n);
        }
        SessionPatch patch = n == 0 ? SessionPatch.settings(Map.of(), Set.of(WritePlanner.CHECKPOINT_EVERY))
                : SessionPatch.settings(Map.of(WritePlanner.CHECKPOINT_EVERY, Integer.toString(n)), Set.of());
        write(WriteRequest.builder(parley.now()).patch(patch));
    }

    /** Moves this branch back to a checkpoint (state included). The old head is preserved as {@code auto/<seq>}. */
    @Override
    public void restore(String checkpointName) {
        Checkpoint checkpoint = checkpointNamed(Names.checkpoint(checkpointName));
        java.time.Instant now = parley.now();
        write(WriteRequest.builder(now)
                .op(new PointerOp.PreserveHead(branch, now))
                .op(new PointerOp.SetBranch(branch, Target.at(checkpoint.entry()), PointerOp.Mode.MOVE)));
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return store().checkpoints(tenant(), id);
    }

    /** A new branch at this branch's head. */
    @Override
    public Branch branch(String name) {
        return createBranch(name, Target.head(branch));
    }

    /** A new branch at any entry of the session. */
    @Override
    public Branch branch(String name, EntryId from) {
        return createBranch(name, Target.at(from));
    }

    /** A new branch at a checkpoint. */
    @Override
    public Branch branchFromCheckpoint(String name, String checkpointName) {
        return createBranch(name, Target.at(checkpointNamed(Names.checkpoint(checkpointName)).entry()));
    }

    private Branch createBranch(String name, Target at) {
        Names.branch(name);
        write(WriteRequest.builder(parley.now()).op(new PointerOp.SetBranch(name, at, PointerOp.Mode.CREATE)));
        return snapshot().branch(name).orElseThrow();
    }

    /** Makes a branch at any past entry, named {@code fork/<seq>} (with a suffix if taken), and returns a handle on it. */
    @Override
    public Session fork(EntryId at) {
        String base = "fork/" + at.value();
        for (int n = 1; ; n++) {
            String name = n == 1 ? base : base + "-" + n;
            try {
                createBranch(name, Target.at(at));
                return on(name);
            } catch (ConflictException e) {
                if (e.reason() != ConflictException.Reason.ALREADY_EXISTS || n > 1000) {
                    throw e;
                }
            }
        }
    }

    /** Makes the named branch the current one for humans (the CLI's default). */
    @Override
    public void checkout(String name) {
        Names.branch(name);
        write(WriteRequest.builder(parley.now()).patch(SessionPatch.checkout(name)));
    }

    @Override
    public List<Branch> branches() {
        return snapshot().branches().values().stream().sorted(java.util.Comparator.comparing(Branch::name)).toList();
    }

    /** Deletes a branch (not {@code main}); its head is kept as {@code auto/<seq>} unless something else references it. */
    @Override
    public void deleteBranch(String name) {
        java.time.Instant now = parley.now();
        write(WriteRequest.builder(now).op(new PointerOp.PreserveHead(Names.branch(name), now)).op(new PointerOp.DeleteBranch(name)));
    }

    /**
     * Edits a past message: appends {@code message} as a sibling of {@code entryId} (same parent) and
     * moves this branch there, as chat UIs do when a user edits an earlier turn. The old head is
     * preserved as {@code auto/<seq>}.
     */
    @Override
    public Entry edit(EntryId entryId, Message message) {
        Entry original = store().entry(tenant(), id, entryId)
                .orElseThrow(() -> new NotFoundException("no entry " + entryId + " in session " + id));
        if (original.kind() != EntryKind.MESSAGE) {
            throw new InvalidInputException("entry id", "entry " + entryId + " is a " + original.kind()
                    + " entry; only messages can be edited");
        }
        EntryId initialHead = info().initialHead();
        if (initialHead != null && original.depth() <= store().entry(tenant(), id, initialHead).map(Entry::depth).orElse(0)
                && isAncestorOrSelf(original.id(), initialHead)) {
            throw new InvalidInputException("entry id", "entry " + entryId + " is part of the initial context "
                    + "(system prompt, initial prompts, initial state), which every branch shares; it cannot be edited");
        }
        java.time.Instant now = parley.now();
        Target parent = original.parent() == null ? new Target.Root() : Target.at(original.parent());
        WriteRequest.Builder request = WriteRequest.builder(now);
        dev.parley.analytics.Counters.forMessages(List.of(message)).forEach(request::counter);
        return write(request
                .appendAt(parent, List.of(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(message))))
                .op(new PointerOp.PreserveHead(branch, now))
                .op(new PointerOp.SetBranch(branch, Target.lastAppended(), PointerOp.Mode.MOVE))).appended().getFirst();
    }

    private boolean isAncestorOrSelf(EntryId candidate, EntryId of) {
        Entry cursor = store().entry(tenant(), id, of).orElse(null);
        while (cursor != null && cursor.seq() >= candidate.value()) {
            if (cursor.id().equals(candidate)) {
                return true;
            }
            cursor = cursor.parent() == null ? null : store().entry(tenant(), id, cursor.parent()).orElse(null);
        }
        return false;
    }

    // ---- pins -------------------------------------------------------------------------------------

    /** Pins an entry so every context policy keeps it. */
    @Override
    public void pin(EntryId entryId) {
        changePins(entryId, true);
    }

    @Override
    public void unpin(EntryId entryId) {
        changePins(entryId, false);
    }

    /** The entries pinned on this branch's path. */
    @Override
    public SortedSet<EntryId> pins() {
        return pinsAt(head());
    }

    private SortedSet<EntryId> pinsAt(EntryId at) {
        if (at == null) {
            return Collections.emptySortedSet();
        }
        EntryId ref = store().entry(tenant(), id, at).map(Entry::pinsRef).orElse(null);
        if (ref == null) {
            return Collections.emptySortedSet();
        }
        return ((Payload.PinsPayload) store().entry(tenant(), id, ref).orElseThrow().payload()).pins();
    }

    private void changePins(EntryId target, boolean pin) {
        store().entry(tenant(), id, target).orElseThrow(() -> new NotFoundException("no entry " + target + " in session " + id));
        appendOnHead("pins", head -> {
            TreeSet<EntryId> pins = new TreeSet<>(pinsAt(head));
            if (pin ? !pins.add(target) : !pins.remove(target)) {
                return null;
            }
            return new EntryDraft(parley.now(), pin ? EntryKind.PIN : EntryKind.UNPIN, new Payload.PinsPayload(target, pins));
        });
    }

    /** Attempts of {@link #appendOnHead} before giving up on a branch other writers keep moving. */
    private static final int HEAD_ATTEMPTS = 16;

    /**
     * Appends the entry computed from this branch's head, conditional on that head, and computes it again when
     * another write landed first: for entries derived from the path (state snapshots, pin sets). {@code draftFor}
     * returns {@code null} when there is nothing to write.
     */
    void appendOnHead(String what, java.util.function.Function<EntryId, EntryDraft> draftFor) {
        for (int attempt = 0; attempt < HEAD_ATTEMPTS; attempt++) {
            EntryId head = head();
            EntryDraft draft = draftFor.apply(head);
            if (draft == null) {
                return;
            }
            try {
                write(WriteRequest.builder(parley.now()).ifHead(branch, head).append(branch, List.of(draft)));
                return;
            } catch (ConflictException e) {
                if (e.reason() != ConflictException.Reason.HEAD) {
                    throw e;
                }
            }
        }
        throw new ConflictException(ConflictException.Reason.HEAD, "branch " + branch + " of session " + id
                + " kept changing; " + what + " not written after " + HEAD_ATTEMPTS + " attempts");
    }

    // ---- export and copies -------------------------------------------------------------------------

    /** The session as a versioned Parley JSON document. */
    @Override
    public String exportJson() {
        return parley.exportJson(id);
    }

    @Override
    public Session cloneSession(CloneMode mode) {
        return parley.clone(id, mode, null, null);
    }

    /** A full copy cut at {@code at}: the new session's main is the path up to that entry. */
    @Override
    public Session cloneAt(EntryId at) {
        return parley.clone(id, CloneMode.FULL, at, null);
    }

    /** {@link #summarizeAndContinue(dev.parley.context.Summariser, SessionId)} with a generated id. */
    public Session summarizeAndContinue(dev.parley.context.Summariser summariser) {
        return summarizeAndContinue(summariser, null);
    }

    /**
     * Continues this branch's conversation in a new session seeded with its summary, for a conversation too long to
     * carry on. {@code summariser} condenses the branch's messages after the initial context (the latest summary
     * first, if it has one; tool calls with their results; redacted messages left out). The new session has this
     * one's user, system prompt, initial prompts, settings (model defaults, budget limit, checkpoint interval),
     * lifetime and metadata, plus {@code continuedFrom=<this id>}; its initial context ends with the system message
     * {@code "Summary of the previous conversation:\n<summary>"} (message metadata {@code parley.continuedFrom}) and
     * this branch's current session state, so every branch of it, {@code clear()} and every context policy keep
     * them. This session then gets {@code continuedIn=<new id>}. Nothing is written if the summariser fails.
     *
     * @param newId the new session's id, or {@code null} for a generated one
     */
    public Session summarizeAndContinue(dev.parley.context.Summariser summariser, SessionId newId) {
        if (summariser == null) {
            throw new InvalidInputException("summariser", "summarizeAndContinue needs a summariser");
        }
        SessionSnapshot snapshot = snapshot();
        SessionInfo info = snapshot.info();
        EntryId head = branchOf(snapshot).head();
        List<Message> conversation = parley.contextBuilder().build(tenant(), id, head, dev.parley.context.ContextPolicy.all(),
                        dev.parley.tokens.MessageTokens.of(dev.parley.tokens.EstimatingTokenizer.standard()))
                .messages().stream().filter(m -> m.source() != dev.parley.context.ContextMessage.Source.INITIAL)
                .map(dev.parley.context.ContextMessage::message).toList();
        if (conversation.isEmpty()) {
            throw new InvalidInputException("session", "branch " + branch + " of session " + id
                    + " has no conversation after its initial context to summarise");
        }
        dev.parley.context.Summary summary = java.util.Objects.requireNonNull(summariser.summarise(conversation),
                "the summariser returned no summary");

        java.time.Instant now = parley.now();
        List<EntryDraft> initial = new ArrayList<>();
        if (info.initialHead() != null) {
            for (Entry e : store().path(tenant(), id, info.initialHead(), Integer.MAX_VALUE)) {
                if (e.kind() == EntryKind.MESSAGE) {
                    initial.add(new EntryDraft(e.at(), e.kind(), e.payload()));
                }
            }
        }
        Message seed = Message.system("Summary of the previous conversation:\n" + summary.text())
                .withMetadata(Map.of("parley.continuedFrom", id.value()));
        initial.add(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(seed)));
        Map<String, String> state = stateAt(head);
        if (!state.isEmpty()) {
            initial.add(new EntryDraft(now, EntryKind.STATE, new Payload.StatePayload(state, Set.of(), state)));
        }
        Map<String, String> metadata = new java.util.LinkedHashMap<>(info.metadata());
        metadata.remove("continuedIn");
        metadata.put("continuedFrom", id.value());
        java.time.Instant absolute = info.absoluteExpiresAt() == null ? null
                : now.plus(java.time.Duration.between(info.createdAt(), info.absoluteExpiresAt()));
        SessionId continued = newId == null ? SessionId.random() : newId;
        store().create(new dev.parley.store.NewSession(tenant(), continued, user, now, absolute, info.idleTtl(), metadata,
                info.settings(), initial));
        metadata().set("continuedIn", continued.value());
        return parley.open(continued);
    }

    // ---- context, quota and budget -----------------------------------------------------------------

    /** What a model would be sent for this branch under {@code policy}, counted by {@code tokens}. Costs O(window). */
    public dev.parley.context.Context context(dev.parley.context.ContextPolicy policy, dev.parley.tokens.MessageTokens tokens) {
        return parley.contextBuilder().build(tenant(), id, head(), policy, tokens);
    }

    /** The context under {@code policy}, counted with {@code model}'s tokenizer (exact for OpenAI encodings). */
    @Override
    public dev.parley.context.Context context(dev.parley.context.ContextPolicy policy, String model) {
        return context(policy, dev.parley.tokens.MessageTokens.forModel(model));
    }

    /** A quota over this branch (Chrome Prompt API semantics); set the model or window, policy and thresholds, then build. */
    public dev.parley.context.Quota.Builder quota() {
        return dev.parley.context.Quota.builder(parley.contextBuilder().source(tenant(), id, this::head));
    }

    /** This session's lifetime token budgets (session, user, tenant). */
    public Budget budget() {
        return new Budget(this, parley.budgetLimits());
    }

    // ---- analytics ---------------------------------------------------------------------------------

    /** This session's analytics, from the counters the store keeps (no history is loaded). */
    public dev.parley.analytics.Analytics analytics(dev.parley.analytics.PriceTable prices) {
        SessionInfo info = info();
        return dev.parley.analytics.Analytics.from(store().counters(tenant(), id), info.createdAt(), info.updatedAt(), prices);
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /** Sets a new absolute lifetime (from now) and idle expiry; {@code null} removes a limit. */
    @Override
    public void expireAfter(java.time.Duration ttl, java.time.Duration idleTtl) {
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw new InvalidInputException("ttl", "ttl must be positive: " + ttl);
        }
        if (idleTtl != null && (idleTtl.isZero() || idleTtl.isNegative())) {
            throw new InvalidInputException("idleTtl", "idleTtl must be positive: " + idleTtl);
        }
        java.time.Instant now = parley.now();
        write(WriteRequest.builder(now).patch(SessionPatch.expiry(ttl == null ? null : now.plus(ttl), idleTtl)));
    }

    /** Deletes the session and everything it holds. */
    @Override
    public boolean delete() {
        return parley.delete(id);
    }

    /** Releases the handle. Every write is already durable when it returns, so nothing is lost; temp state is dropped. */
    @Override
    public void close() {
        temp.clear();
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new InvalidInputException(field, field + " must be >= 1: " + value);
        }
    }

    @Override
    public String toString() {
        return "Session[" + tenant() + "/" + id + "@" + branch + "]";
    }
}
