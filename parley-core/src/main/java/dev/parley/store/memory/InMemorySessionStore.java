package dev.parley.store.memory;

import dev.parley.BudgetExceededException;
import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
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
import dev.parley.store.WriteContext;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in process memory: for tests, prototypes and short-lived processes. Nothing survives the
 * process. Each session is guarded by its own monitor, so writes to different sessions run in parallel.
 */
public final class InMemorySessionStore implements SessionStore {

    private record Key(TenantId tenant, SessionId id) {
    }

    private record ScopeKey(TenantId tenant, Scope scope) {
    }

    private record BudgetRef(TenantId tenant, BudgetKey key) {
    }

    private record UserRef(TenantId tenant, UserId user) {
    }

    /** One session's data; every access holds its monitor. */
    private static final class Data {
        SessionInfo info;
        final Map<String, Branch> branches = new LinkedHashMap<>();
        final Map<Long, Entry> entries = new HashMap<>();
        final Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
        final Map<String, VaultRow> vaultByPlaceholder = new LinkedHashMap<>();
        final Map<String, VaultRow> vaultByLookup = new HashMap<>();
        final Map<String, IdempotencyRecord> idempotency = new HashMap<>();
        final Map<String, Long> counters = new TreeMap<>();
        boolean deleted;
    }

    private final Clock clock;
    private final Map<Key, Data> sessions = new ConcurrentHashMap<>();
    private final Map<ScopeKey, Map<String, Versioned<String>>> scoped = new ConcurrentHashMap<>();
    private final Map<BudgetRef, Long> budgets = new HashMap<>();
    private final Map<UserRef, String> userKeys = new ConcurrentHashMap<>();
    private final AccessCounter access = new AccessCounter();

    public InMemorySessionStore() {
        this(Clock.systemUTC());
    }

    public InMemorySessionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String describe() {
        return "memory:";
    }

    private Instant now() {
        return clock.instant();
    }

    /** The live (not expired, not deleted) data of a session, or null. Caller must lock it before use and re-check. */
    private Data live(TenantId tenant, SessionId id) {
        Data data = sessions.get(new Key(tenant, id));
        if (data == null) {
            return null;
        }
        synchronized (data) {
            if (data.deleted || data.info.isExpiredAt(now())) {
                return null;
            }
        }
        return data;
    }

    private Data require(TenantId tenant, SessionId id) {
        Data data = live(tenant, id);
        if (data == null) {
            throw new NotFoundException("no session " + id);
        }
        return data;
    }

    private static void requireAlive(Data data, Instant now) {
        if (data.deleted || data.info.isExpiredAt(now)) {
            throw new NotFoundException("no session " + data.info.id());
        }
    }

    @Override
    public SessionSnapshot create(NewSession spec) {
        WritePlan plan = WritePlanner.planCreate(spec);
        Key key = new Key(spec.tenant(), spec.id());
        Data fresh = new Data();
        apply(fresh, plan);
        while (true) {
            Data existing = sessions.putIfAbsent(key, fresh);
            if (existing == null) {
                access.wrote(plan.entries().size() + 1);
                return snapshot(fresh);
            }
            synchronized (existing) {
                if (!existing.deleted && !existing.info.isExpiredAt(now())) {
                    throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                            "session " + spec.id() + " already exists");
                }
                existing.deleted = true;
                sessions.remove(key, existing);
            }
        }
    }

    private static SessionSnapshot snapshot(Data data) {
        return new SessionSnapshot(data.info, data.branches);
    }

    @Override
    public Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        Data data = live(tenant, id);
        if (data == null) {
            return Optional.empty();
        }
        synchronized (data) {
            return data.deleted ? Optional.empty() : Optional.of(snapshot(data));
        }
    }

    @Override
    public Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        ListCursor after = cursor == null ? null : ListCursor.decode(cursor);
        Instant now = now();
        List<SessionInfo> all = new ArrayList<>();
        for (Map.Entry<Key, Data> e : sessions.entrySet()) {
            if (!e.getKey().tenant().equals(tenant)) {
                continue;
            }
            Data data = e.getValue();
            synchronized (data) {
                if (data.deleted || data.info.isExpiredAt(now) || (user != null && !data.info.user().equals(user))) {
                    continue;
                }
                if (after == null || after.precedes(data.info)) {
                    all.add(data.info);
                }
            }
        }
        all.sort(ListCursor.ORDER);
        List<SessionInfo> page = all.subList(0, Math.min(limit, all.size()));
        String next = all.size() > limit ? ListCursor.after(page.getLast()).encode() : null;
        return new Page<>(page, next);
    }

    @Override
    public boolean delete(TenantId tenant, SessionId id) {
        Data data = sessions.get(new Key(tenant, id));
        if (data == null) {
            return false;
        }
        boolean wasLive;
        synchronized (data) {
            wasLive = !data.deleted && !data.info.isExpiredAt(now());
            data.deleted = true;
            sessions.remove(new Key(tenant, id), data);
        }
        synchronized (budgets) {
            budgets.remove(new BudgetRef(tenant, new BudgetKey(BudgetKey.Level.SESSION, id.value())));
        }
        return wasLive;
    }

    @Override
    public int deleteUser(TenantId tenant, UserId user) {
        int deleted = 0;
        for (Map.Entry<Key, Data> e : sessions.entrySet()) {
            if (e.getKey().tenant().equals(tenant)) {
                boolean mine;
                synchronized (e.getValue()) {
                    mine = e.getValue().info.user().equals(user);
                }
                if (mine && delete(tenant, e.getKey().id())) {
                    deleted++;
                }
            }
        }
        scoped.remove(new ScopeKey(tenant, Scope.user(user)));
        synchronized (budgets) {
            budgets.remove(new BudgetRef(tenant, new BudgetKey(BudgetKey.Level.USER, user.value())));
        }
        userKeys.remove(new UserRef(tenant, user));
        return deleted;
    }

    @Override
    public int sweepExpired(int limit) {
        Instant now = now();
        int deleted = 0;
        for (Map.Entry<Key, Data> e : sessions.entrySet()) {
            Data data = e.getValue();
            synchronized (data) {
                data.idempotency.values().removeIf(r -> r.at().plus(IdempotencyRecord.RETENTION).isBefore(now));
                if (deleted < limit && (data.deleted || data.info.isExpiredAt(now))) {
                    data.deleted = true;
                    sessions.remove(e.getKey(), data);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @Override
    public WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        Data data = require(tenant, id);
        synchronized (data) {
            requireAlive(data, now());
            WritePlan plan = WritePlanner.plan(context(data), request);
            if (!plan.replay()) {
                apply(data, plan);
                access.wrote(plan.entries().size() + 1);
            }
            return plan.result();
        }
    }

    private WriteContext context(Data data) {
        return new WriteContext() {
            @Override
            public SessionSnapshot snapshot() {
                return InMemorySessionStore.snapshot(data);
            }

            @Override
            public Optional<Entry> entry(EntryId id) {
                access.read(1);
                return Optional.ofNullable(data.entries.get(id.value()));
            }

            @Override
            public Optional<Checkpoint> checkpoint(String name) {
                return Optional.ofNullable(data.checkpoints.get(name));
            }

            @Override
            public boolean hasCheckpointAt(EntryId entry) {
                return data.checkpoints.values().stream().anyMatch(c -> c.entry().equals(entry));
            }

            @Override
            public Optional<IdempotencyRecord> idempotency(String key) {
                return Optional.ofNullable(data.idempotency.get(key));
            }

            @Override
            public boolean vaultHasPlaceholder(String placeholder) {
                return data.vaultByPlaceholder.containsKey(placeholder);
            }

            @Override
            public boolean vaultHasLookup(String lookup) {
                return data.vaultByLookup.containsKey(lookup);
            }
        };
    }

    private static void apply(Data data, WritePlan plan) {
        data.info = plan.info();
        plan.entries().forEach(e -> data.entries.put(e.seq(), e));
        data.branches.putAll(plan.branches());
        plan.deletedBranches().forEach(data.branches::remove);
        plan.deletedCheckpoints().forEach(data.checkpoints::remove);
        plan.checkpoints().forEach(c -> data.checkpoints.put(c.name(), c));
        for (VaultRow row : plan.vaultRows()) {
            data.vaultByPlaceholder.put(row.placeholder(), row);
            data.vaultByLookup.put(row.lookup(), row);
        }
        plan.counters().forEach((k, v) -> data.counters.merge(k, v, Long::sum));
        if (plan.idempotency() != null) {
            data.idempotency.put(plan.idempotency().key(), plan.idempotency());
        }
    }

    @Override
    public Entry redact(TenantId tenant, SessionId id, EntryId entryId, Payload.Redacted tombstone, Instant at) {
        Data data = require(tenant, id);
        synchronized (data) {
            requireAlive(data, now());
            Entry entry = data.entries.get(entryId.value());
            if (entry == null) {
                throw new NotFoundException("no entry " + entryId + " in session " + id);
            }
            if (entry.kind() != EntryKind.MESSAGE) {
                throw new InvalidInputException("entry id", "entry " + entryId + " is a " + entry.kind() + " entry; only messages can be redacted");
            }
            Entry redacted = entry.withPayload(tombstone);
            data.entries.put(entryId.value(), redacted);
            data.info = data.info.touched(at);
            access.wrote(1);
            return redacted;
        }
    }

    @Override
    public void importSession(SessionImage image) {
        SessionInfo info = image.info();
        Data fresh = new Data();
        fresh.info = info;
        image.branches().forEach(b -> fresh.branches.put(b.name(), b));
        image.entries().forEach(e -> fresh.entries.put(e.seq(), e));
        image.checkpoints().forEach(c -> fresh.checkpoints.put(c.name(), c));
        for (VaultRow row : image.vault()) {
            fresh.vaultByPlaceholder.put(row.placeholder(), row);
            fresh.vaultByLookup.put(row.lookup(), row);
        }
        fresh.counters.putAll(image.counters());
        Key key = new Key(info.tenant(), info.id());
        while (true) {
            Data existing = sessions.putIfAbsent(key, fresh);
            if (existing == null) {
                access.wrote(image.entries().size() + 1);
                return;
            }
            synchronized (existing) {
                if (!existing.deleted && !existing.info.isExpiredAt(now())) {
                    throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + info.id() + " already exists");
                }
                existing.deleted = true;
                sessions.remove(key, existing);
            }
        }
    }

    @Override
    public Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entryId) {
        Data data = require(tenant, id);
        synchronized (data) {
            access.read(1);
            return Optional.ofNullable(data.entries.get(entryId.value()));
        }
    }

    @Override
    public List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        Objects.requireNonNull(head, "head");
        Data data = require(tenant, id);
        synchronized (data) {
            Entry current = data.entries.get(head.value());
            if (current == null) {
                throw new NotFoundException("no entry " + head + " in session " + id);
            }
            List<Entry> out = new ArrayList<>(Math.min(limit, current.depth()));
            while (current != null && out.size() < limit) {
                out.add(current);
                access.read(1);
                current = current.parent() == null ? null : data.entries.get(current.parent().value());
            }
            Collections.reverse(out);
            return out;
        }
    }

    @Override
    public List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        Data data = require(tenant, id);
        synchronized (data) {
            List<Entry> out = new ArrayList<>();
            for (long seq = Math.max(0, afterSeq) + 1; seq <= data.info.lastSeq() && out.size() < limit; seq++) {
                Entry e = data.entries.get(seq);
                if (e != null) {
                    out.add(e);
                }
            }
            access.read(out.size());
            return out;
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        Data data = require(tenant, id);
        synchronized (data) {
            return Optional.ofNullable(data.checkpoints.get(name));
        }
    }

    @Override
    public List<Checkpoint> checkpoints(TenantId tenant, SessionId id) {
        Data data = require(tenant, id);
        synchronized (data) {
            return List.copyOf(data.checkpoints.values());
        }
    }

    @Override
    public List<VaultRow> vault(TenantId tenant, SessionId id) {
        Data data = require(tenant, id);
        synchronized (data) {
            return List.copyOf(data.vaultByPlaceholder.values());
        }
    }

    @Override
    public Map<String, Long> counters(TenantId tenant, SessionId id) {
        Data data = require(tenant, id);
        synchronized (data) {
            return Map.copyOf(data.counters);
        }
    }

    @Override
    public Map<String, Long> sumCounters(TenantId tenant, UserId user) {
        Map<String, Long> sum = new TreeMap<>();
        Instant now = now();
        for (Map.Entry<Key, Data> e : sessions.entrySet()) {
            if (!e.getKey().tenant().equals(tenant)) {
                continue;
            }
            Data data = e.getValue();
            synchronized (data) {
                if (!data.deleted && !data.info.isExpiredAt(now) && (user == null || data.info.user().equals(user))) {
                    data.counters.forEach((k, v) -> sum.merge(k, v, Long::sum));
                }
            }
        }
        return sum;
    }

    @Override
    public Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        Data data = require(tenant, id);
        synchronized (data) {
            requireAlive(data, now());
            IdempotencyRecord existing = data.idempotency.get(key);
            if (existing != null) {
                return Optional.of(existing);
            }
            data.idempotency.put(key, new IdempotencyRecord(key, requestHash, List.of(), at, true));
            return Optional.empty();
        }
    }

    @Override
    public void releaseIdempotency(TenantId tenant, SessionId id, String key) {
        Data data = live(tenant, id);
        if (data != null) {
            synchronized (data) {
                IdempotencyRecord existing = data.idempotency.get(key);
                if (existing != null && existing.pending()) {
                    data.idempotency.remove(key);
                }
            }
        }
    }

    @Override
    public Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        Map<String, Versioned<String>> values = scoped.get(new ScopeKey(tenant, scope));
        if (values == null) {
            return Map.of();
        }
        synchronized (values) {
            return Map.copyOf(values);
        }
    }

    @Override
    public Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        Map<String, Versioned<String>> values = scoped.get(new ScopeKey(tenant, scope));
        if (values == null) {
            return Optional.empty();
        }
        synchronized (values) {
            return Optional.ofNullable(values.get(key));
        }
    }

    @Override
    public long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        Map<String, Versioned<String>> values = scoped.computeIfAbsent(new ScopeKey(tenant, scope), k -> new HashMap<>());
        synchronized (values) {
            Versioned<String> current = values.get(key);
            long currentVersion = current == null ? 0 : current.version();
            if (ifVersion != null && ifVersion != currentVersion) {
                throw new ConflictException(ConflictException.Reason.VERSION,
                        "state key '" + key + "' is at version " + currentVersion + ", not " + ifVersion);
            }
            if (json == null) {
                values.remove(key);
                return 0;
            }
            long next = currentVersion + 1;
            values.put(key, new Versioned<>(json, next));
            return next;
        }
    }

    @Override
    public void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        synchronized (budgets) {
            for (BudgetLimit limit : limits) {
                long used = budgets.getOrDefault(new BudgetRef(tenant, limit.key()), 0L);
                if (used + tokens > limit.limit()) {
                    throw new BudgetExceededException(limit.key().toString(), tokens, Math.max(0, limit.limit() - used));
                }
            }
            for (BudgetLimit limit : limits) {
                budgets.merge(new BudgetRef(tenant, limit.key()), tokens, Long::sum);
            }
        }
    }

    @Override
    public void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        synchronized (budgets) {
            for (BudgetKey key : keys) {
                budgets.merge(new BudgetRef(tenant, key), actual - reserved, Long::sum);
            }
        }
    }

    @Override
    public long budgetUsed(TenantId tenant, BudgetKey key) {
        synchronized (budgets) {
            return budgets.getOrDefault(new BudgetRef(tenant, key), 0L);
        }
    }

    @Override
    public Optional<String> userKey(TenantId tenant, UserId user) {
        return Optional.ofNullable(userKeys.get(new UserRef(tenant, user)));
    }

    @Override
    public String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        return userKeys.computeIfAbsent(new UserRef(tenant, user), k -> wrappedKey);
    }

    @Override
    public Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        TreeMap<UserId, String> keys = new TreeMap<>();
        userKeys.forEach((ref, wrapped) -> {
            if (ref.tenant().equals(tenant) && (after == null || ref.user().compareTo(after) > 0)) {
                keys.put(ref.user(), wrapped);
            }
        });
        List<UserKeyRecord> fetched = keys.entrySet().stream().limit(limit + 1L)
                .map(e -> new UserKeyRecord(e.getKey(), e.getValue())).toList();
        return IdCursor.page(fetched, limit, r -> IdCursor.after(r.user()));
    }

    @Override
    public boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        Objects.requireNonNull(expectedWrapped, "expectedWrapped");
        Objects.requireNonNull(newWrapped, "newWrapped");
        return userKeys.replace(new UserRef(tenant, user), expectedWrapped, newWrapped);
    }

    @Override
    public Page<TenantId> tenants(String cursor, int limit) {
        ListCursor.requireLimit(limit);
        TenantId after = IdCursor.tenantAfter(cursor);
        TreeSet<TenantId> found = new TreeSet<>();
        Instant now = now();
        sessions.forEach((key, data) -> {
            if (isLive(data, now)) {
                found.add(key.tenant());
            }
        });
        scoped.forEach((key, values) -> {
            if (hasValues(values)) {
                found.add(key.tenant());
            }
        });
        synchronized (budgets) {
            budgets.keySet().forEach(ref -> found.add(ref.tenant()));
        }
        userKeys.keySet().forEach(ref -> found.add(ref.tenant()));
        List<TenantId> fetched = (after == null ? found : found.tailSet(after, false)).stream().limit(limit + 1L).toList();
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    @Override
    public Page<UserId> users(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        TreeSet<UserId> found = new TreeSet<>();
        Instant now = now();
        sessions.forEach((key, data) -> {
            if (key.tenant().equals(tenant)) {
                synchronized (data) {
                    if (!data.deleted && !data.info.isExpiredAt(now)) {
                        found.add(data.info.user());
                    }
                }
            }
        });
        scoped.forEach((key, values) -> {
            if (key.tenant().equals(tenant) && key.scope() instanceof Scope.User user && hasValues(values)) {
                found.add(user.user());
            }
        });
        synchronized (budgets) {
            budgets.keySet().stream()
                    .filter(ref -> ref.tenant().equals(tenant) && ref.key().level() == BudgetKey.Level.USER)
                    .forEach(ref -> found.add(UserId.of(ref.key().id())));
        }
        userKeys.keySet().stream().filter(ref -> ref.tenant().equals(tenant)).forEach(ref -> found.add(ref.user()));
        List<UserId> fetched = (after == null ? found : found.tailSet(after, false)).stream().limit(limit + 1L).toList();
        return IdCursor.page(fetched, limit, IdCursor::after);
    }

    private static boolean isLive(Data data, Instant now) {
        synchronized (data) {
            return !data.deleted && !data.info.isExpiredAt(now);
        }
    }

    private static boolean hasValues(Map<String, Versioned<String>> values) {
        synchronized (values) {
            return !values.isEmpty();
        }
    }

    @Override
    public AccessCounter accessCounter() {
        return access;
    }

    @Override
    public void close() {
        // Nothing to release: the data lives and dies with this object.
    }
}
