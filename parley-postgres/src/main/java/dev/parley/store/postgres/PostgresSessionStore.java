package dev.parley.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.InvalidInputException;
import dev.parley.StoreException;
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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions in PostgreSQL, for several Parley servers sharing one database.
 *
 * <pre>{@code
 * try (PostgresSessionStore store = PostgresSessionStore.open("postgres://parley@db.internal/parley");
 *      Parley parley = Parley.builder().store(store).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Schema.</b> Opening the store creates or upgrades its schema in place ({@code parley} unless
 * configured otherwise), recording the version in {@code schema_version}; servers starting together
 * take turns, and a database upgraded by a newer Parley is refused rather than misread.
 *
 * <p><b>Writes.</b> Each write locks its session's row, plans the write with the rules every store
 * shares ({@link dev.parley.store.WritePlanner}) and persists the plan in the same short transaction.
 * Uniqueness (sessions, branches, checkpoints, vault placeholders and values, idempotency keys) is
 * enforced by the database's constraints, budgets and counters by single atomic statements; nothing
 * relies on a lock inside this process, so any number of processes may write at once.
 *
 * <p><b>Group commit.</b> By default, concurrent writes from one process share transactions: a
 * couple of committer threads take every write waiting and commit them together, each write planned
 * over the state the earlier ones in the group left, and a failing write leaves the others intact.
 * A write returns only after its transaction committed, so nothing is traded for the throughput.
 *
 * <p><b>Time.</b> Expiry is judged by the store's {@link Clock}, not the database's, so every
 * server agrees with its own engine (and tests can move time).
 */
public final class PostgresSessionStore implements SessionStore {
    /** How long a committer waits at most for its batch to fill under load, unless the builder says otherwise (decision 97). */
    public static final Duration DEFAULT_GATHER_WINDOW = Duration.ofNanos(200_000);
    private static final Duration MAX_GATHER_WINDOW = Duration.ofMillis(100);
    private final Db db;
    private final HikariDataSource ownedPool;
    private final SessionReads reads;
    private final SessionLifecycle lifecycle;
    private final ScopedStates states;
    private final Budgets budgets;
    private final UserKeys keys;
    private final Directory directory;
    private final IdempotencyClaims claims;
    private final Writes writes;
    private volatile boolean closed;

    private PostgresSessionStore(Db db, HikariDataSource ownedPool, int committers, Duration gatherWindow) {
        this.db = db;
        this.ownedPool = ownedPool;
        this.reads = new SessionReads(db);
        this.lifecycle = new SessionLifecycle(db);
        this.states = new ScopedStates(db);
        this.budgets = new Budgets(db);
        this.keys = new UserKeys(db);
        this.directory = new Directory(db);
        this.claims = new IdempotencyClaims(db);
        this.writes = new Writes(db, committers, gatherWindow);
    }

    /** Opens the store a {@code postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]} URL names, with the system clock. */
    public static PostgresSessionStore open(String url) {
        return builder().url(url).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The schema version this code creates and upgrades to. */
    public static int schemaVersion() {
        return Migrations.latest();
    }

    @Override
    public String describe() {
        return db.describe();
    }

    @Override
    public SessionSnapshot create(NewSession spec) {
        return lifecycle.create(spec);
    }

    @Override
    public Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        return reads.find(tenant, id);
    }

    @Override
    public Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        return reads.list(tenant, user, cursor, limit);
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
        Objects.requireNonNull(request, "request");
        return writes.write(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(id, "id"), request);
    }

    @Override
    public Entry redact(TenantId tenant, SessionId id, EntryId entry, Payload.Redacted tombstone, Instant at) {
        return lifecycle.redact(tenant, id, entry, tombstone, at);
    }

    @Override
    public void importSession(SessionImage image) {
        lifecycle.importSession(image);
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
        return reads.checkpoints(tenant, id, null);
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
        return reads.sumCounters(tenant, user);
    }

    @Override
    public Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        return claims.claimIdempotency(tenant, id, key, requestHash, at);
    }

    @Override
    public void releaseIdempotency(TenantId tenant, SessionId id, String key) {
        claims.releaseIdempotency(tenant, id, key);
    }

    @Override
    public Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        return states.scopedState(tenant, scope);
    }

    @Override
    public Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        return states.scopedValue(tenant, scope, key);
    }

    @Override
    public long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        return states.putScoped(tenant, scope, key, json, ifVersion);
    }

    @Override
    public void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        budgets.reserve(tenant, limits, tokens);
    }

    @Override
    public void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        budgets.settle(tenant, keys, reserved, actual);
    }

    @Override
    public long budgetUsed(TenantId tenant, BudgetKey key) {
        return budgets.budgetUsed(tenant, key);
    }

    @Override
    public Optional<String> userKey(TenantId tenant, UserId user) {
        return keys.userKey(tenant, user);
    }

    @Override
    public String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        return keys.userKeyIfAbsent(tenant, user, wrappedKey);
    }

    @Override
    public Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        return keys.userKeys(Objects.requireNonNull(tenant, "tenant"), cursor, limit);
    }

    @Override
    public boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        return keys.replaceUserKey(tenant, user, expectedWrapped, newWrapped);
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
        return db.access();
    }

    /** Commits the writes already queued, then closes the connection pool (unless it was given by the caller). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writes.close();
        db.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /**
     * Configures a store: where the database is (a {@code postgres://} URL, a JDBC URL, or a
     * {@link DataSource} you own), the schema, the clock, the pool and group commit.
     */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private String describe;
        private DataSource dataSource;
        private String schema = PostgresUrl.DEFAULT_SCHEMA;
        private Clock clock = Clock.systemUTC();
        private boolean groupCommit = true;
        private int committers = 2;
        private Duration gatherWindow = DEFAULT_GATHER_WINDOW;
        private int poolSize = 10;

        private Builder() {
        }

        /**
         * A {@code postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]} URL; see {@link PostgresUrl}.
         * It sets the schema too ({@value PostgresUrl#DEFAULT_SCHEMA} if it names none): call {@link #schema} after it to override.
         */
        public Builder url(String url) {
            return url(PostgresUrl.parse(url));
        }

        /** As {@link #url(String)}, already parsed. */
        public Builder url(PostgresUrl url) {
            Objects.requireNonNull(url, "url");
            this.jdbcUrl = url.jdbcUrl();
            this.user = url.user();
            this.password = url.password();
            this.schema = url.schema();
            if (url.poolSize() != null) {
                this.poolSize = url.poolSize();
            }
            String text = url.toString();
            this.describe = text.substring(0, text.indexOf("?schema="));
            this.dataSource = null;
            return this;
        }

        /** A pgjdbc URL ({@code jdbc:postgresql://host:port/database}), with the user and password given separately. */
        public Builder jdbcUrl(String jdbcUrl, String user, String password) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new InvalidInputException("jdbc url", "a JDBC URL must start with jdbc:postgresql: - got "
                        + (jdbcUrl == null ? "null" : "'" + jdbcUrl.replaceAll("\\?.*", "?…") + "'"));
            }
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
            int query = jdbcUrl.indexOf('?');
            this.describe = (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query));
            this.dataSource = null;
            return this;
        }

        /**
         * Connections from a pool you configure and close; the store never closes it. Leave their
         * isolation at PostgreSQL's default, READ COMMITTED: stricter levels work but make contended
         * writes abort and run again.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.jdbcUrl = null;
            this.describe = "postgres:" + dataSource.getClass().getSimpleName();
            return this;
        }

        /** The schema holding Parley's tables (created if missing): 1-63 characters of [a-z0-9_], not starting with a digit. */
        public Builder schema(String schema) {
            PostgresUrl.requireSchema(Objects.requireNonNull(schema, "schema"));
            this.schema = schema;
            return this;
        }

        /** The clock expiry is judged by (default: the system's UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether concurrent writes share transactions (default true); false gives every write its own. */
        public Builder groupCommit(boolean enabled) {
            this.groupCommit = enabled;
            return this;
        }

        /** How many transactions of grouped writes may be in flight at once (default 2). */
        public Builder committers(int committers) {
            if (committers < 1 || committers > 64) {
                throw new InvalidInputException("committers", "committers must be between 1 and 64: " + committers);
            }
            this.committers = committers;
            return this;
        }

        /**
         * How long a committer may wait for a batch to fill under load (default 200 µs; zero never waits). It
         * waits only when fewer writes are queued than its last batch held, and that batch held at least four,
         * so a lone writer is never delayed: under load, bigger batches cost less CPU per write.
         */
        public Builder gatherWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.compareTo(MAX_GATHER_WINDOW) > 0) {
                throw new InvalidInputException("gather window", "the gather window must be between 0 and "
                        + MAX_GATHER_WINDOW.toMillis() + " ms: " + window);
            }
            this.gatherWindow = window;
            return this;
        }

        /** Connections in the pool the store creates (default 10); ignored with {@link #dataSource}. */
        public Builder poolSize(int poolSize) {
            if (poolSize < PostgresUrl.MIN_POOL || poolSize > PostgresUrl.MAX_POOL) {
                throw new InvalidInputException("pool size", "pool size must be between " + PostgresUrl.MIN_POOL + " and "
                        + PostgresUrl.MAX_POOL + ": " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Connects, creates or upgrades the schema, and starts the committers. */
        public PostgresSessionStore build() {
            if (jdbcUrl == null && dataSource == null) {
                throw new InvalidInputException("store", "say where the database is: url(\"postgres://…\"), jdbcUrl(…) or dataSource(…)");
            }
            int activeCommitters = groupCommit ? committers : 0;
            if (dataSource == null && poolSize <= activeCommitters) {
                throw new InvalidInputException("pool size", "pool size " + poolSize + " leaves no connection for reads beside "
                        + activeCommitters + " committers; make it at least " + (activeCommitters + 1));
            }
            String where = describe.startsWith("postgres://") ? describe + "?schema=" + schema : describe + " (schema " + schema + ")";
            HikariDataSource pool = dataSource == null ? pool(where) : null;
            DataSource source = pool != null ? pool : dataSource;
            try (Connection c = source.getConnection()) {
                Migrations.migrate(c, schema, where);
            } catch (SQLException e) {
                closeAfterFailure(pool, e);
                throw SqlErrors.map(e, "open the store", where);
            } catch (RuntimeException e) {
                closeAfterFailure(pool, e);
                throw e;
            }
            return new PostgresSessionStore(new Db(source, schema, where, clock), pool, activeCommitters, gatherWindow);
        }

        private HikariDataSource pool(String where) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(poolSize);
            config.setPoolName("parley-postgres");
            // The write path relies on READ COMMITTED: each statement of a write sees what committed before it began.
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            config.addDataSourceProperty("ApplicationName", "parley");
            config.addDataSourceProperty("tcpKeepAlive", "true");
            // A generic plan cached while the tables were small (a fresh database, a bulk import before
            // autovacuum's ANALYZE) makes the recursive last-k walk scan every entry; planning each
            // execution with its parameters keeps it an index walk at any size.
            config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new StoreException("cannot connect to " + where + ": " + rootMessage(e), e);
            }
        }

        private static void closeAfterFailure(HikariDataSource pool, Exception cause) {
            if (pool != null) {
                try {
                    pool.close();
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage();
        }
    }
}
