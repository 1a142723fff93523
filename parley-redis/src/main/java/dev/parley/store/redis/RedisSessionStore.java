package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
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
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions in Redis or a Redis Cluster, for several Parley servers sharing one backend.
 *
 * <pre>{@code
 * try (RedisSessionStore store = RedisSessionStore.open("redis-cluster://10.0.0.1:7000,10.0.0.2:7000");
 *      Parley parley = Parley.builder().store(store).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> All keys of one session share the hash tag {@code {t:<tenant>:s:<id>}}, so a session
 * lives on one slot and one Lua script can change all of it atomically. A tenant's and a user's
 * sessions and the sweeper's expiry list are indexes on other slots; they are hints, checked on every
 * read and repaired by the sweeper, never trusted. So are the tenants and each tenant's users that may hold
 * something, which {@link #tenants} and {@link #users} list (see {@code Directory}); data written before those
 * existed is indexed once, when a store first opens it.
 *
 * <p><b>Writes.</b> Each write is planned in Java with the rules every store shares
 * ({@link dev.parley.store.WritePlanner}) and applied by one script that lands only if the session is
 * still at the version it was planned against, re-checking vault uniqueness itself; otherwise it is
 * planned again. Writes to one session from one process take turns, so many threads cost no retries;
 * several processes may write at once and nothing is lost.
 *
 * <p><b>Time.</b> Expiry is judged by the store's {@link Clock}, not Redis's, so every server agrees
 * with its engine (and tests can move time). Redis's own key expiry is set an hour past a session's
 * expiry, only to free memory should no sweeper ever run.
 *
 * <p><b>TLS.</b> {@code rediss://} and {@code rediss-cluster://} encrypt every connection and check each server's
 * certificate: it must chain to the JDK's trust store (or to the PEM bundle {@code ca=} names) and name the host
 * it was reached at. {@code verify=ca} drops the host-name check, for clusters whose nodes announce addresses
 * their certificates do not list; a store opened so logs a warning. Nothing turns the chain check off.
 *
 * <p><b>Durability.</b> A write is durable when it returns only as far as Redis makes it so: with
 * {@code appendonly yes} and {@code appendfsync always} it is on disk; with the default
 * {@code appendfsync everysec} up to a second of writes can be lost in a crash; without persistence,
 * everything is lost on restart. Replication is asynchronous, so a cluster failover can lose the last
 * writes acknowledged by the old primary.
 */
public final class RedisSessionStore implements SessionStore {
    private final Redis redis;
    private final Reads reads;
    private final Writes writes;
    private final Lifecycle lifecycle;
    private final TenantData tenants;
    private final Claims claims;
    private final Index index;
    private final Directory directory;
    private final AccessCounter access;

    private RedisSessionStore(Redis redis, Keys keys, Clock clock) {
        this.redis = redis;
        this.access = new AccessCounter();
        Backend backend = new Backend(redis, keys, clock, access);
        this.index = new Index(backend);
        this.directory = new Directory(backend, index);
        this.reads = new Reads(backend);
        this.writes = new Writes(backend, index, directory);
        this.tenants = new TenantData(backend, directory);
        this.lifecycle = new Lifecycle(backend, index, tenants, directory);
        this.claims = new Claims(backend, index);
    }

    /** Opens the store a {@code redis://}, {@code rediss://}, {@code redis-cluster://} or {@code rediss-cluster://} URL names, with the system clock. */
    public static RedisSessionStore open(String url) {
        return builder().url(url).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a store: where it lives, the clock that decides expiry, and the prefix of its keys. */
    public static final class Builder {
        private String url;
        private Clock clock = Clock.systemUTC();
        private String keyPrefix;

        private Builder() {
        }

        /**
         * {@code redis://[[user]:password@]host[:port][/db][?prefix=name]} or
         * {@code redis-cluster://[[user]:password@]host:port[,host:port…][?prefix=name]}; {@code rediss://} and
         * {@code rediss-cluster://} connect over TLS and also take {@code &ca=FILE.pem} (trust that CA bundle instead of
         * the JDK's trust store) and {@code &verify=ca} (accept a trusted certificate whatever host it names; logged as a
         * warning). A bad URL fails here; a bad CA file, when {@link #build()} connects.
         */
        public Builder url(String url) {
            RedisLocation.parse(url);
            this.url = url;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** What every key starts with (default {@code parley}, or the URL's {@code prefix}); lets several stores share a server. */
        public Builder keyPrefix(String prefix) {
            RedisLocation.requirePrefix(prefix);
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Connects; a server that cannot be reached, or whose certificate is refused, is a
         * {@link dev.parley.StoreException} saying why; a CA bundle that cannot be read is an {@link InvalidInputException}.
         */
        public RedisSessionStore build() {
            if (url == null) {
                throw new InvalidInputException("store URL", "a Redis store needs a URL: redis://host:port, rediss://host:port (TLS),"
                        + " or redis-cluster:// / rediss-cluster://host:port,...");
            }
            RedisLocation location = RedisLocation.parse(url);
            if (keyPrefix != null) {
                location = location.withPrefix(keyPrefix);
            }
            Redis redis = Redis.connect(location);
            RedisSessionStore store = new RedisSessionStore(redis, new Keys(location.prefix()), clock);
            try {
                store.directory.indexOlderData();
            } catch (RuntimeException e) {
                redis.close();
                throw e;
            }
            return store;
        }
    }

    @Override
    public String describe() {
        return redis.describe();
    }

    @Override
    public SessionSnapshot create(NewSession spec) {
        return writes.create(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        return reads.find(tenant, id);
    }

    @Override
    public Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        return index.list(tenant, user, cursor == null ? null : ListCursor.decode(cursor), limit);
    }

    @Override
    public boolean delete(TenantId tenant, SessionId id) {
        return lifecycle.delete(tenant, id);
    }

    @Override
    public int deleteUser(TenantId tenant, UserId user) {
        return lifecycle.deleteUser(tenant, user);
    }

    @Override
    public int sweepExpired(int limit) {
        return lifecycle.sweepExpired(limit);
    }

    @Override
    public WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        return writes.write(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(id, "id"),
                Objects.requireNonNull(request, "request"));
    }

    @Override
    public Entry redact(TenantId tenant, SessionId id, EntryId entry, Payload.Redacted tombstone, Instant at) {
        return writes.redact(tenant, id, entry, Objects.requireNonNull(tombstone, "tombstone"), Objects.requireNonNull(at, "at"));
    }

    @Override
    public void importSession(SessionImage image) {
        writes.importSession(Objects.requireNonNull(image, "image"));
    }

    @Override
    public Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entry) {
        return reads.entry(tenant, id, entry);
    }

    @Override
    public List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        return reads.path(tenant, id, head, limit);
    }

    @Override
    public List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        return reads.entries(tenant, id, afterSeq, limit);
    }

    @Override
    public Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        return reads.checkpoint(tenant, id, Objects.requireNonNull(name, "name"));
    }

    @Override
    public List<Checkpoint> checkpoints(TenantId tenant, SessionId id) {
        return reads.checkpoints(tenant, id);
    }

    @Override
    public List<VaultRow> vault(TenantId tenant, SessionId id) {
        return reads.vault(tenant, id);
    }

    @Override
    public Map<String, Long> counters(TenantId tenant, SessionId id) {
        return reads.counters(tenant, id);
    }

    @Override
    public Map<String, Long> sumCounters(TenantId tenant, UserId user) {
        return index.sumCounters(tenant, user);
    }

    @Override
    public Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        return claims.claim(tenant, id, Objects.requireNonNull(key, "key"), Objects.requireNonNull(requestHash, "requestHash"),
                Objects.requireNonNull(at, "at"));
    }

    @Override
    public void releaseIdempotency(TenantId tenant, SessionId id, String key) {
        claims.release(tenant, id, Objects.requireNonNull(key, "key"));
    }

    @Override
    public Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        return tenants.scopedState(tenant, scope);
    }

    @Override
    public Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        return tenants.scopedValue(tenant, scope, Objects.requireNonNull(key, "key"));
    }

    @Override
    public long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        return tenants.putScoped(tenant, scope, key, json, ifVersion);
    }

    @Override
    public void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        tenants.reserve(tenant, List.copyOf(limits), tokens);
    }

    @Override
    public void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        tenants.settle(tenant, List.copyOf(keys), reserved, actual);
    }

    @Override
    public long budgetUsed(TenantId tenant, BudgetKey key) {
        return tenants.budgetUsed(tenant, Objects.requireNonNull(key, "key"));
    }

    @Override
    public Optional<String> userKey(TenantId tenant, UserId user) {
        return tenants.userKey(tenant, user);
    }

    @Override
    public String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        return tenants.userKeyIfAbsent(tenant, user, wrappedKey);
    }

    @Override
    public Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        return tenants.userKeys(Objects.requireNonNull(tenant, "tenant"), cursor, limit);
    }

    @Override
    public boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        return tenants.replaceUserKey(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(user, "user"),
                expectedWrapped, newWrapped);
    }

    @Override
    public Page<TenantId> tenants(String cursor, int limit) {
        return directory.tenants(cursor, limit);
    }

    @Override
    public Page<UserId> users(TenantId tenant, String cursor, int limit) {
        return directory.users(Objects.requireNonNull(tenant, "tenant"), cursor, limit);
    }

    @Override
    public AccessCounter accessCounter() {
        return access;
    }

    @Override
    public void close() {
        redis.close();
    }
}
