package dev.parley.api;

import dev.parley.CloneMode;
import dev.parley.Metadata;
import dev.parley.SessionState;
import dev.parley.WriteOptions;
import dev.parley.context.Context;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.io.OpenAiMessages;
import dev.parley.json.ParleyJson;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A handle on one session, working on one branch ({@code main} unless {@link #on(String)} says otherwise):
 * the same operations on a local {@link dev.parley.Session} and on a session of a Parley server. Every method
 * reads or writes at once, so handles hold no stale copy and several processes can work on one session.
 *
 * <p>Appends never rewrite history: branches and checkpoints are pointers into a tree of entries. Moving a
 * branch back ({@link #restore}, {@link #clear}, {@link #edit}) first keeps its old head as checkpoint
 * {@code auto/<seq>} if nothing else references it.
 *
 * <p>Temp-scope state ({@code state().temp()}) lives in this handle and the handles made from it with
 * {@link #on}, in this process only, local or remote; it is dropped by {@link #close()}.
 */
public interface SessionHandle extends AutoCloseable {

    // ---- identity -------------------------------------------------------------------------------------

    SessionId id();

    UserId user();

    /** The branch this handle reads and appends to. */
    String branchName();

    /** A handle on another branch of the same session, sharing temp state. The branch must exist when used. */
    SessionHandle on(String branchName);

    /** A handle on the branch last checked out (for people; programs should name branches). */
    SessionHandle onCurrentBranch();

    /** The session's row: owner, times, expiry, metadata, version, current branch, settings. */
    SessionInfo info();

    /** Bumped by every write to the session; what {@link WriteOptions#ifVersion} compares. */
    default long version() {
        return info().version();
    }

    /** The head of this handle's branch, or {@code null} if the branch is empty. */
    EntryId head();

    // ---- messages -------------------------------------------------------------------------------------

    /** Appends one message to this branch. */
    default Entry add(Message message) {
        return add(List.of(message), WriteOptions.NONE).getFirst();
    }

    /** Appends one message under conditions ({@code ifVersion}, {@code ifHead}) and with an idempotency key. */
    default Entry add(Message message, WriteOptions options) {
        return add(List.of(message), options).getFirst();
    }

    /** Appends several messages atomically, in order: all land or none. */
    default List<Entry> add(List<Message> messages) {
        return add(messages, WriteOptions.NONE);
    }

    /**
     * Appends several messages atomically. A failed condition is a {@link dev.parley.ConflictException} and changes
     * nothing; a retry with the same idempotency key and messages returns the original entries, with other
     * messages it is an {@link dev.parley.IdempotencyMismatchException}.
     */
    List<Entry> add(List<Message> messages, WriteOptions options);

    /** Every entry of this branch's path (messages, state changes, summaries, pins), oldest first. */
    List<Entry> history();

    /** The last {@code limit} entries of this branch's path, oldest first. */
    List<Entry> history(int limit);

    /** The path's messages (redacted ones left out), oldest first. */
    default List<Message> messages() {
        return history().stream().flatMap(e -> e.message().stream()).toList();
    }

    /** The last {@code k} messages of the path (redacted ones left out), oldest first. */
    default List<Message> last(int k) {
        return lastEntries(k).stream().flatMap(e -> e.message().stream()).toList();
    }

    /** The last {@code k} message entries of the path that are not redacted, oldest first. */
    List<Entry> lastEntries(int k);

    /** Messages on this branch's path, system prompt and initial prompts included. */
    int size();

    /** Any entry of the session, on any branch. */
    Optional<Entry> entry(EntryId entryId);

    /**
     * Starts this branch again from the system prompt, initial prompts and initial state. The old head is kept
     * as checkpoint {@code auto/<seq>} unless something else references it.
     */
    void clear();

    /**
     * Erases one message in place: its payload becomes a tombstone recording who erased it and when. {@code by}
     * names who asked; a server records its authenticated caller first ({@code key:<id> for <by>}), so a tombstone
     * always says which credential erased the message.
     */
    Entry redact(EntryId entryId, String by);

    /**
     * Edits a past message: appends {@code message} as a sibling of {@code entryId} (same parent) and moves this
     * branch there, as chat UIs do when a user edits an earlier turn. The old head is kept as {@code auto/<seq>}.
     */
    Entry edit(EntryId entryId, Message message);

    // ---- metadata and state ---------------------------------------------------------------------------

    Metadata metadata();

    /** State in its four scopes; session scope follows this branch. */
    SessionState state();

    /** The STATE entries of this branch's path, newest first: the versions of session state. */
    List<Entry> stateVersions();

    /** Brings back the session state of an earlier STATE entry, as a new version (history is kept). */
    void restoreState(EntryId version);

    // ---- checkpoints, branches, pins ------------------------------------------------------------------

    /** Marks this branch's head with a name; a taken name is a {@link dev.parley.ConflictException}. */
    default Checkpoint checkpoint(String name) {
        return checkpoint(name, null);
    }

    Checkpoint checkpoint(String name, String note);

    /** Checkpoints automatically ({@code auto/<seq>}) each time a path reaches a multiple of {@code n} messages; 0 turns it off. */
    void checkpointEvery(int n);

    /** Moves this branch back to a checkpoint (state included). The old head is kept as {@code auto/<seq>}. */
    void restore(String checkpointName);

    /** The session's checkpoints, oldest first. */
    List<Checkpoint> checkpoints();

    /** A new branch at this branch's head. */
    Branch branch(String name);

    /** A new branch at any entry of the session. */
    Branch branch(String name, EntryId from);

    /** A new branch at a checkpoint. */
    Branch branchFromCheckpoint(String name, String checkpointName);

    /** Makes a branch at any past entry, named {@code fork/<seq>} (with a suffix if taken), and returns a handle on it. */
    SessionHandle fork(EntryId at);

    /** Makes the named branch the current one for people (what {@link #onCurrentBranch()} opens). */
    void checkout(String name);

    /** The session's branches by name. */
    List<Branch> branches();

    /** Deletes a branch (not {@code main}); its head is kept as {@code auto/<seq>} unless something else references it. */
    void deleteBranch(String name);

    /** Pins an entry so every context policy keeps it. */
    void pin(EntryId entryId);

    void unpin(EntryId entryId);

    /** The entries pinned on this branch's path. */
    SortedSet<EntryId> pins();

    // ---- context --------------------------------------------------------------------------------------

    /**
     * What a model would be sent for this branch under {@code policy}, counted with {@code model}'s tokenizer.
     * A server builds it and can only be sent the policies that are data ({@code all}, {@code lastMessages},
     * {@code tokenBudget}); the others (they hold code) are refused with an {@link dev.parley.InvalidInputException}.
     */
    Context context(ContextPolicy policy, String model);

    // ---- export and copies ----------------------------------------------------------------------------

    /** The session as a versioned Parley JSON document. */
    String exportJson();

    /** Writes the session's export to a file (atomically: a temporary file renamed into place). */
    default void save(Path file) {
        ExportFiles.write(file, exportJson());
    }

    /** This branch's path as OpenAI Chat Completions messages (JSON array text). */
    default String exportOpenAi() {
        return ParleyJson.write(OpenAiMessages.render(messages()));
    }

    /** A copy of the whole session ({@link CloneMode#FULL}) or of its initial context only. */
    SessionHandle cloneSession(CloneMode mode);

    /** A full copy cut at {@code at}: the new session's main is the path up to that entry. */
    SessionHandle cloneAt(EntryId at);

    // ---- lifecycle ------------------------------------------------------------------------------------

    /** Sets a new absolute lifetime (from now) and idle expiry; {@code null} removes a limit. */
    void expireAfter(Duration ttl, Duration idleTtl);

    /** Deletes the session and everything it holds; false if it was already gone. */
    boolean delete();

    /** Releases the handle: every write is already durable when it returns, so nothing is lost; temp state is dropped. */
    @Override
    void close();
}
