package dev.parley.store;

import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where sessions live. Implementations: in memory, SQLite (the embedded default), JSONL files,
 * PostgreSQL, Redis. Every implementation passes {@code SessionStoreContract} (parley-core's test-jar),
 * which checks the invariants of the design:
 * <ol>
 *   <li>a write is atomic, durable when it returns, and costs O(1) in the history length;</li>
 *   <li>reading the last k entries of a path costs O(k); listings are paginated by cursor;</li>
 *   <li>branch, checkpoint, restore and fork cost O(1);</li>
 *   <li>concurrent writes to one session all land in one total order, seq strictly increasing;
 *       a write whose condition fails changes nothing;</li>
 *   <li>idempotency keys replay or reject as {@link WritePlanner} decides;</li>
 *   <li>expired sessions are invisible at once; deletion is complete;</li>
 *   <li>every operation is scoped by tenant: another tenant's session is "not found".</li>
 * </ol>
 * Methods addressing a session that does not exist (or has expired) throw
 * {@link dev.parley.NotFoundException} with the message {@code "no session <id>"}, except the
 * {@code find}/{@code delete} family which report absence in their result.
 */
public interface SessionStore extends AutoCloseable {

    /** A short description for logs and the CLI, e.g. {@code sqlite:/data/parley.db}. */
    String describe();

    // ---- sessions -------------------------------------------------------------------------------

    /** Creates a session; {@link dev.parley.ConflictException} (ALREADY_EXISTS) if the id is taken in the tenant. */
    SessionSnapshot create(NewSession spec);

    Optional<SessionSnapshot> find(TenantId tenant, SessionId id);

    /**
     * A tenant's sessions, newest first (by creation time, then id), optionally only one user's.
     * {@code cursor} is the previous page's {@link Page#nextCursor()} or {@code null}.
     */
    Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit);

    /** Deletes a session and all it holds; false if there was none. */
    boolean delete(TenantId tenant, SessionId id);

    /** Deletes all of a user's sessions, user-scope state, budgets and key; returns the sessions deleted. */
    int deleteUser(TenantId tenant, UserId user);

    /** Deletes at most {@code limit} expired sessions (and idempotency records older than 24 h); returns the sessions deleted. */
    int sweepExpired(int limit);

    /** Applies a write atomically (see {@link WriteRequest} and {@link WritePlanner}). */
    WriteResult write(TenantId tenant, SessionId id, WriteRequest request);

    /** Replaces one MESSAGE entry's payload with a tombstone, in place; bumps the session's version. */
    Entry redact(TenantId tenant, SessionId id, EntryId entry, Payload.Redacted tombstone, Instant at);

    /** Writes a whole session in one bulk operation (import, clone, migration); conflict if the id is taken. */
    void importSession(SessionImage image);

    // ---- history --------------------------------------------------------------------------------

    Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entry);

    /**
     * The last {@code limit} entries of the path ending at {@code head} (inclusive), oldest first. Costs O(limit).
     * {@code head} must not be null (an empty branch has no path: read its head first); a negative {@code limit} is
     * refused with an {@link dev.parley.InvalidInputException} naming {@code limit}.
     */
    List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit);

    /**
     * Entries in seq order after {@code afterSeq}, at most {@code limit}: for export, clone and migration. A negative
     * {@code limit} is refused with an {@link dev.parley.InvalidInputException} naming {@code limit}.
     */
    List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit);

    Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name);

    /** The session's checkpoints, oldest first. */
    List<Checkpoint> checkpoints(TenantId tenant, SessionId id);

    List<VaultRow> vault(TenantId tenant, SessionId id);

    /** The session's analytics counters, as added up by writes. */
    Map<String, Long> counters(TenantId tenant, SessionId id);

    /** The counters summed over a user's sessions ({@code user} given) or the tenant's, without loading any session. */
    Map<String, Long> sumCounters(TenantId tenant, UserId user);

    // ---- idempotency claims (for requests that write after a slow step, like a model call) -----

    /**
     * Claims an idempotency key before a slow step: records it as pending and returns empty, or
     * returns the record already there (pending or done) without changing it.
     */
    Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at);

    /** Removes a pending claim whose request failed, so a retry can run again. */
    void releaseIdempotency(TenantId tenant, SessionId id, String key);

    // ---- user- and app-scope state: one row per key, versioned ----------------------------------

    Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope);

    Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key);

    /**
     * Sets ({@code json} non-null) or removes ({@code json} null) one key. With {@code ifVersion},
     * the key must be at that version ({@code 0}: must not exist) or a conflict is thrown.
     * Returns the key's new version (0 after removal).
     */
    long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion);

    // ---- lifetime token budgets ----------------------------------------------------------------

    /** Adds {@code tokens} to every counter if none would pass its limit; otherwise throws and reserves nothing. */
    void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens);

    /** Corrects earlier reservations by {@code actual - reserved}. */
    void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual);

    /**
     * {@link #write} and then {@link #settle}: a model turn stores its messages and books the tokens it used. If the
     * write fails, nothing is settled. A store that can do both in one transaction overrides this, so a turn costs one
     * durable commit instead of two; by default the settlement follows the write, and if it fails the write stands and
     * the failure is thrown.
     */
    default WriteResult writeAndSettle(TenantId tenant, SessionId id, WriteRequest request, List<BudgetKey> keys,
                                       long reserved, long actual) {
        WriteResult result = write(tenant, id, request);
        settle(tenant, keys, reserved, actual);
        return result;
    }

    long budgetUsed(TenantId tenant, BudgetKey key);

    // ---- users' key-encryption keys -------------------------------------------------------------

    Optional<String> userKey(TenantId tenant, UserId user);

    /** Stores {@code wrappedKey} unless the user has a key already; returns the key that is stored. */
    String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey);

    /**
     * A page of a tenant's stored user keys, ordered by user id (as {@link UserId#compareTo} orders them).
     * {@code cursor} is the previous page's {@link Page#nextCursor()} or {@code null} for the first page; a
     * cursor this store did not issue for a listing by user id is an {@link dev.parley.InvalidInputException}
     * (field {@code "cursor"}), and {@code limit} must be 1 to 1000 ({@link ListCursor#requireLimit}).
     * Keys added or erased while a walk runs may or may not appear; every key stored throughout the walk
     * appears exactly once.
     */
    Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit);

    /**
     * Replaces a user's stored key with {@code newWrapped} only if it is exactly {@code expectedWrapped}, in
     * one atomic compare-and-set; returns whether it replaced it. It returns false, changing nothing, when the
     * stored key differs (someone wrapped it again meanwhile) or is gone (the user was erased): so a rotation
     * can neither resurrect an erased user's key nor overwrite a newer wrap. Backends may keep the replaced
     * value in their own logs (a write-ahead log, an append-only file) until they compact them.
     */
    boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped);

    // ---- enumeration (for key rotation, migration and administration) ---------------------------

    /**
     * A page of the tenants holding anything in this store, ordered by id: a live (unexpired) session,
     * user- or app-scope state, a budget counter of any level, or a user key. A tenant holding only
     * app-scope state or a tenant-level budget counts. A tenant whose last thing is deleted disappears.
     * Cursor and limit as in {@link #userKeys}; a tenant appears at most once in a walk, and every tenant
     * holding something throughout the walk appears.
     */
    Page<TenantId> tenants(String cursor, int limit);

    /**
     * A page of a tenant's users holding anything in this store, ordered by id: a live (unexpired) session,
     * user-scope state, a user-level budget counter, or a key. A user disappears once {@link #deleteUser}
     * erased them (unless something of theirs is written again). Cursor and limit as in {@link #userKeys}.
     */
    Page<UserId> users(TenantId tenant, String cursor, int limit);

    // ---- observation ---------------------------------------------------------------------------

    /** Counts of entries read and written, for the contract's cost checks. */
    AccessCounter accessCounter();

    @Override
    void close();
}
