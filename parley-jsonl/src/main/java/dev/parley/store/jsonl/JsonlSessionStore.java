package dev.parley.store.jsonl;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.StoreException;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.IdCursor;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.ListCursor;
import dev.parley.store.NewSession;
import dev.parley.store.Page;
import dev.parley.store.Scope;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.SessionStore;
import dev.parley.store.UserKeyRecord;
import dev.parley.store.VaultRow;
import dev.parley.store.Versioned;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Sessions as append-only JSONL files in a directory: simple, inspectable with {@code less} and
 * {@code jq}, and friendly to {@code git diff}. For one process on one machine with modest data; use
 * the SQLite store for more, PostgreSQL or Redis to share sessions between servers.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;dir&gt;/&lt;tenant&gt;/sessions/&lt;session&gt;.jsonl   one file per session, one line per write
 * &lt;dir&gt;/&lt;tenant&gt;/state.jsonl                   user- and app-scope state, one line per change of a key
 * &lt;dir&gt;/&lt;tenant&gt;/budgets.jsonl                 token budget totals
 * &lt;dir&gt;/&lt;tenant&gt;/keys.jsonl                    users' wrapped key-encryption keys
 * &lt;dir&gt;/.parley-jsonl.lock                       held while a store has the directory open
 * </pre>
 * Every line is one JSON object starting with its format version ({@code "v":1}), so later versions
 * read these files. A session file's first line creates (or imports) the session; each later write
 * appends exactly one line holding everything the write changed: new entries, moved branches,
 * checkpoints, vault rows, counter increments, the idempotency record and the new session row.
 * Ids are validated by their types and every path is checked to stay inside the directory.
 *
 * <h2>Durability</h2>
 * A write returns once its line is on disk ({@code force}); the line is written in one call at the end
 * of the file, and only then applied to memory, so a failed write changes nothing. A crash can only
 * leave an incomplete last line: on open it is detected (no newline, or not JSON), ignored, cut away,
 * and logged (without its contents). A damaged line anywhere else fails the open with the file and
 * line number; nothing is guessed.
 *
 * <h2>The index lives in memory</h2>
 * On open the store replays every file and keeps the whole index in memory: session rows, branches,
 * checkpoints, every entry, vault rows, counters and idempotency records. Reads are served from memory
 * and cost what they cost in the in-memory store; appends cost one line and one fsync. The price is
 * that memory and the time to open grow with the total history of all sessions. While the store is
 * open it owns the directory (a lock refuses a second store, in this process or another): do not
 * edit the files meanwhile.
 *
 * <h2>Other behaviour worth knowing</h2>
 * <ul>
 *   <li>Redaction is the one in-place change: the session's file is rewritten atomically (temporary
 *       file, fsync, rename, directory fsync) with the message replaced by its tombstone, so the text
 *       leaves the file. Copies elsewhere (backups, a git history of the directory) keep it.</li>
 *   <li>Idempotency claims of requests still in flight ({@link #claimIdempotency}) live only in memory:
 *       a request in flight dies with its process, so after a restart its retry may run again.
 *       Records of completed writes are in the file and kept for 24 hours.</li>
 *   <li>Tenant logs are compacted (rewritten from memory) when they grow well past the rows they hold,
 *       and when a user is erased, so an erased user's key and state leave the disk. The keys log is also
 *       compacted once replaced keys (a master-key rotation) make up half of it, so old wraps do not
 *       linger; copies elsewhere (backups, a git history of the directory) keep them.</li>
 *   <li>On a case-insensitive file system (macOS, Windows defaults) two session ids differing only in
 *       case would share a file; the second is refused as already existing.</li>
 * </ul>
 */
public final class JsonlSessionStore implements SessionStore {

    private final Layout layout;
    private final Clock clock;
    private final DirectoryLock lock;
    private final SessionRegistry sessions;
    private final ConcurrentMap<TenantId, TenantState> tenants;
    private final AccessCounter access = new AccessCounter();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Opens (creating it if needed) the store in {@code dir}, on the system clock. */
    public JsonlSessionStore(Path dir) {
        this(dir, Clock.systemUTC());
    }

    /** Opens (creating it if needed) the store in {@code dir}; {@code clock} decides expiry. */
    public JsonlSessionStore(Path dir, Clock clock) {
        this.layout = new Layout(Objects.requireNonNull(dir, "dir"));
        this.clock = Objects.requireNonNull(clock, "clock");
        layout.ensureRoot();
        this.lock = DirectoryLock.acquire(layout.root());
        try {
            Loader loaded = Loader.load(layout, idempotencyCutoff(clock.instant()));
            this.sessions = new SessionRegistry(layout, loaded.sessions, loaded.tenants);
            this.tenants = loaded.tenants;
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (RuntimeException release) {
                e.addSuppressed(release);
            }
            throw e;
        }
    }

    @Override
    public String describe() {
        return "jsonl:" + layout.root();
    }

    // ---- sessions -------------------------------------------------------------------------------

    @Override
    public SessionSnapshot create(NewSession spec) {
        ensureOpen();
        WritePlan plan = WritePlanner.planCreate(spec);
        SessionSnapshot created = sessions.install(spec.tenant(), spec.id(), Change.Write.of(plan, true), now());
        access.wrote(plan.entries().size() + 1L);
        return created;
    }

    @Override
    public void importSession(SessionImage image) {
        ensureOpen();
        Change.Write change = Change.Write.of(image);
        try {
            new SessionData(image.info().id()).check(change);
        } catch (IllegalArgumentException e) {
            InvalidInputException invalid = new InvalidInputException("session image",
                    "session image of " + image.info().id() + " is inconsistent: " + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
        sessions.install(image.info().tenant(), image.info().id(), change, now());
        access.wrote(image.entries().size() + 1L);
    }

    @Override
    public Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        ensureOpen();
        SessionData data = sessions.lookup(tenant, id);
        return data == null ? Optional.empty() : data.liveSnapshot(now());
    }

    @Override
    public Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        ensureOpen();
        ListCursor.requireLimit(limit);
        ListCursor after = cursor == null ? null : ListCursor.decode(cursor);
        Instant now = now();
        List<SessionInfo> all = new ArrayList<>();
        for (SessionData data : sessions.of(tenant)) {
            data.liveInfo(now)
                    .filter(info -> user == null || info.user().equals(user))
                    .filter(info -> after == null || after.precedes(info))
                    .ifPresent(all::add);
        }
        all.sort(ListCursor.ORDER);
        List<SessionInfo> page = all.subList(0, Math.min(limit, all.size()));
        String next = all.size() > limit ? ListCursor.after(page.getLast()).encode() : null;
        return new Page<>(page, next);
    }

    @Override
    public boolean delete(TenantId tenant, SessionId id) {
        ensureOpen();
        SessionData data = sessions.lookup(tenant, id);
        if (data == null) {
            return false;
        }
        data.writer.lock();
        try {
            if (data.isDeleted() || data.info() == null) {
                return false;
            }
            boolean wasLive = data.isLive(now());
            sessions.remove(tenant, data);
            return wasLive;
        } finally {
            data.writer.unlock();
        }
    }

    @Override
    public int deleteUser(TenantId tenant, UserId user) {
        ensureOpen();
        Instant now = now();
        int deleted = 0;
        for (SessionData data : sessions.of(tenant)) {
            data.writer.lock();
            try {
                if (!data.isDeleted() && data.info() != null && data.info().user().equals(user)) {
                    boolean wasLive = data.isLive(now);
                    sessions.remove(tenant, data);
                    deleted += wasLive ? 1 : 0;
                }
            } finally {
                data.writer.unlock();
            }
        }
        TenantState state = tenants.get(tenant);
        if (state != null) {
            state.eraseUser(user);
        }
        return deleted;
    }

    @Override
    public int sweepExpired(int limit) {
        ensureOpen();
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        Instant now = now();
        Instant cutoff = idempotencyCutoff(now);
        int[] deleted = {0};
        sessions.forEach((tenant, data) -> {
            data.writer.lock();
            try {
                data.dropIdempotencyBefore(cutoff);
                if (deleted[0] < limit && !data.isDeleted() && data.info() != null && data.info().isExpiredAt(now)) {
                    sessions.remove(tenant, data);
                    deleted[0]++;
                }
            } finally {
                data.writer.unlock();
            }
        });
        return deleted[0];
    }

    // ---- writes ---------------------------------------------------------------------------------

    @Override
    public WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        ensureOpen();
        Instant now = now();
        SessionData data = sessions.lockLive(tenant, id, now);
        try {
            WritePlan plan = WritePlanner.plan(data.context(access, idempotencyCutoff(now)), request);
            if (plan.replay()) {
                return plan.result();
            }
            Change.Write change = Change.Write.of(plan, false);
            data.file().append(SessionLines.encode(change));
            data.apply(change);
            access.wrote(plan.entries().size() + 1L);
            return plan.result();
        } finally {
            data.writer.unlock();
        }
    }

    @Override
    public Entry redact(TenantId tenant, SessionId id, EntryId entryId, Payload.Redacted tombstone, Instant at) {
        ensureOpen();
        SessionData data = sessions.lockLive(tenant, id, now());
        try {
            Entry entry = data.entryForWriter(entryId);
            if (entry == null) {
                throw new NotFoundException("no entry " + entryId + " in session " + id);
            }
            if (entry.kind() != EntryKind.MESSAGE) {
                throw new InvalidInputException("entry id",
                        "entry " + entryId + " is a " + entry.kind() + " entry; only messages can be redacted");
            }
            Change.Redact change = new Change.Redact(data.info().touched(at), entryId, tombstone);
            data.file().rewrite(line -> SessionLines.redactIn(line, entryId, tombstone), List.of(SessionLines.encode(change)));
            data.apply(change);
            access.wrote(1);
            return entry.withPayload(tombstone);
        } finally {
            data.writer.unlock();
        }
    }

    // ---- history --------------------------------------------------------------------------------

    @Override
    public Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entryId) {
        return read(tenant, id, data -> {
            access.read(1);
            return Optional.ofNullable(data.entry(entryId));
        });
    }

    @Override
    public List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        Objects.requireNonNull(head, "head");
        return read(tenant, id, data -> data.path(head, limit, access));
    }

    @Override
    public List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        return read(tenant, id, data -> {
            List<Entry> out = data.entriesAfter(afterSeq, limit);
            access.read(out.size());
            return out;
        });
    }

    @Override
    public Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        return read(tenant, id, data -> data.checkpoint(name));
    }

    @Override
    public List<Checkpoint> checkpoints(TenantId tenant, SessionId id) {
        return read(tenant, id, SessionData::checkpoints);
    }

    @Override
    public List<VaultRow> vault(TenantId tenant, SessionId id) {
        return read(tenant, id, SessionData::vault);
    }

    @Override
    public Map<String, Long> counters(TenantId tenant, SessionId id) {
        return read(tenant, id, SessionData::counters);
    }

    @Override
    public Map<String, Long> sumCounters(TenantId tenant, UserId user) {
        ensureOpen();
        Instant now = now();
        Map<String, Long> sum = new TreeMap<>();
        for (SessionData data : sessions.of(tenant)) {
            if (user == null || data.liveInfo(now).map(info -> info.user().equals(user)).orElse(false)) {
                data.addCountersTo(sum, now);
            }
        }
        return sum;
    }

    // ---- idempotency claims ---------------------------------------------------------------------

    @Override
    public Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        ensureOpen();
        Instant now = now();
        SessionData data = sessions.lockLive(tenant, id, now);
        try {
            Optional<IdempotencyRecord> existing = data.idempotencyForWriter(key, idempotencyCutoff(now));
            if (existing.isPresent()) {
                return existing;
            }
            data.claim(new IdempotencyRecord(key, requestHash, List.of(), at, true));
            return Optional.empty();
        } finally {
            data.writer.unlock();
        }
    }

    @Override
    public void releaseIdempotency(TenantId tenant, SessionId id, String key) {
        ensureOpen();
        SessionData data = sessions.lookup(tenant, id);
        if (data == null) {
            return;
        }
        data.writer.lock();
        try {
            data.release(key);
        } finally {
            data.writer.unlock();
        }
    }

    // ---- user- and app-scope state, budgets, keys -----------------------------------------------

    @Override
    public Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        ensureOpen();
        TenantState state = tenants.get(tenant);
        return state == null ? Map.of() : state.scopedState(scope);
    }

    @Override
    public Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        ensureOpen();
        TenantState state = tenants.get(tenant);
        return state == null ? Optional.empty() : state.scopedValue(scope, key);
    }

    @Override
    public long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        ensureOpen();
        return tenant(tenant).putScoped(scope, key, json, ifVersion);
    }

    @Override
    public void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        ensureOpen();
        tenant(tenant).reserve(limits, tokens);
    }

    @Override
    public void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        ensureOpen();
        tenant(tenant).settle(keys, reserved, actual);
    }

    @Override
    public long budgetUsed(TenantId tenant, BudgetKey key) {
        ensureOpen();
        TenantState state = tenants.get(tenant);
        return state == null ? 0 : state.budgetUsed(key);
    }

    @Override
    public Optional<String> userKey(TenantId tenant, UserId user) {
        ensureOpen();
        TenantState state = tenants.get(tenant);
        return state == null ? Optional.empty() : state.userKey(user);
    }

    @Override
    public String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        ensureOpen();
        return tenant(tenant).userKeyIfAbsent(user, wrappedKey);
    }

    @Override
    public Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        ensureOpen();
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        TenantState state = tenants.get(tenant);
        List<UserKeyRecord> fetched = state == null ? List.of() : state.userKeys(after, limit + 1);
        access.read(fetched.size());
        return IdCursor.page(fetched, limit, r -> IdCursor.after(r.user()));
    }

    @Override
    public boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        ensureOpen();
        Objects.requireNonNull(expectedWrapped, "expectedWrapped");
        Objects.requireNonNull(newWrapped, "newWrapped");
        TenantState state = tenants.get(tenant);
        return state != null && state.replaceUserKey(user, expectedWrapped, newWrapped);
    }

    // ---- enumeration ----------------------------------------------------------------------------

    @Override
    public Page<TenantId> tenants(String cursor, int limit) {
        ensureOpen();
        ListCursor.requireLimit(limit);
        TenantId after = IdCursor.tenantAfter(cursor);
        Instant now = now();
        TreeSet<TenantId> found = new TreeSet<>();
        for (TenantId tenant : sessions.tenants()) {
            if (hasLiveSession(tenant, now)) {
                found.add(tenant);
            }
        }
        tenants.forEach((tenant, state) -> {
            if (state.holdsAnything()) {
                found.add(tenant);
            }
        });
        List<TenantId> fetched = (after == null ? found : found.tailSet(after, false)).stream().limit(limit + 1L).toList();
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    @Override
    public Page<UserId> users(TenantId tenant, String cursor, int limit) {
        ensureOpen();
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        Instant now = now();
        TreeSet<UserId> found = new TreeSet<>();
        for (SessionData data : sessions.of(tenant)) {
            data.liveInfo(now).ifPresent(info -> found.add(info.user()));
        }
        TenantState state = tenants.get(tenant);
        if (state != null) {
            state.addUsersTo(found);
        }
        List<UserId> fetched = (after == null ? found : found.tailSet(after, false)).stream().limit(limit + 1L).toList();
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    private boolean hasLiveSession(TenantId tenant, Instant now) {
        for (SessionData data : sessions.of(tenant)) {
            if (data.liveInfo(now).isPresent()) {
                return true;
            }
        }
        return false;
    }

    // ---- observation and lifecycle ----------------------------------------------------------------

    @Override
    public AccessCounter accessCounter() {
        return access;
    }

    /** Releases the directory; the files stay, and a new store over the directory finds everything. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            lock.close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Instant now() {
        return clock.instant();
    }

    private static Instant idempotencyCutoff(Instant now) {
        return now.minus(IdempotencyRecord.RETENTION);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StoreException("the JSONL store in " + layout.root() + " is closed");
        }
    }

    private TenantState tenant(TenantId tenant) {
        return tenants.computeIfAbsent(tenant, t -> TenantState.load(layout, t));
    }

    private <T> T read(TenantId tenant, SessionId id, Function<SessionData, T> reader) {
        ensureOpen();
        return sessions.read(tenant, id, now(), reader);
    }
}
