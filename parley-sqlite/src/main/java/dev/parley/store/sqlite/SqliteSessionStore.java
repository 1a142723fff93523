package dev.parley.store.sqlite;

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
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Sessions in one SQLite file: Parley's embedded default store.
 *
 * <p><b>Durable when a call returns.</b> The file runs in WAL mode with {@code synchronous=FULL}.
 * All writes go through one writer thread that commits in groups: it takes every waiting request,
 * runs them in one transaction (each in its own savepoint, so one failing request changes nothing
 * and does not disturb the others), commits once, and only then returns to the callers. Many
 * threads appending at once therefore share each fsync instead of paying one per message. Reads run
 * in parallel on a small fixed set of read-only connections.
 *
 * <p><b>Cost.</b> An append inserts its entries and updates the session and branch rows; earlier
 * entries are never rewritten. Reading the last k entries of a path is a recursive walk of k
 * primary-key lookups, whatever the length of the history. A session that is both read and
 * written (a conversation in progress) has its row, branches and newest entries read from memory,
 * from what the writer last committed, for as long as no other process has committed to the file
 * since ({@link CommittedView}).
 *
 * <p><b>Schema.</b> Opening creates the tables in a new file and upgrades an older Parley database
 * in place. A database written by a newer Parley is refused rather than misread. Timestamps are
 * kept to the millisecond.
 *
 * <p><b>Failures.</b> A full disk, a read-only file or an I/O error surface as a
 * {@link StoreException} naming the file; the write that met it did not land, in part or at all.
 *
 * <p><b>Several processes</b> may open one file: SQLite's lock serialises their writers, and each
 * writer and each read notices the others' commits.
 *
 * <pre>{@code
 * try (Parley parley = Parley.builder().store(new SqliteSessionStore(Path.of("parley-data/parley.db"))).build()) {
 *     Session s = parley.create(SessionSpec.builder().user("alice").systemPrompt("Be brief.").build());
 *     s.add(Message.user("Hello"));
 * }
 * }</pre>
 */
public final class SqliteSessionStore implements SessionStore {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path file;
    private final AccessCounter access = new AccessCounter();
    private final Statements writerConnection;
    private final GroupCommitWriter writer;
    private final SessionWrites sessions;
    private final TenantWrites tenants;
    private final ReadConnections readConnections;
    private final Reads reads;
    private final TenantReads tenantReads;
    private final Directory directory;
    private final CommittedView view;
    private final Clock clock;

    /** Opens (creating if needed) the database at {@code file}, with the system clock. */
    public SqliteSessionStore(Path file) {
        this(file, Clock.systemUTC());
    }

    /** Opens (creating if needed) the database at {@code file}; {@code clock} decides expiry. */
    public SqliteSessionStore(Path file, Clock clock) {
        this(file, clock, config -> {
        });
    }

    /** As the public constructors, with {@code tuning} applied to every connection's settings (tests use it). */
    SqliteSessionStore(Path file, Clock clock, Consumer<SQLiteConfig> tuning) {
        this(file, clock, tuning, true);
    }

    /**
     * As above; {@code readCommitted} false makes every read go to the file, never to the {@link CommittedView} (the
     * tests compare the two).
     */
    SqliteSessionStore(Path file, Clock clock, Consumer<SQLiteConfig> tuning, boolean readCommitted) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        this.clock = clock;
        this.file = file.toAbsolutePath().normalize();
        createParent(this.file);
        String url = "jdbc:sqlite:" + this.file;

        SQLiteConfig writeConfig = new SQLiteConfig();
        writeConfig.setJournalMode(SQLiteConfig.JournalMode.WAL);
        writeConfig.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        writeConfig.enforceForeignKeys(true);
        writeConfig.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Otherwise the driver runs and compiles "SELECT last_insert_rowid()" after every INSERT,
        // a third of the writer's time; the one key the store needs comes from RETURNING.
        writeConfig.setGetGeneratedKeys(false);
        // Each request's savepoint keeps the pages it changes in a sub-journal; keep that in memory.
        writeConfig.setTempStore(SQLiteConfig.TempStore.MEMORY);
        tuning.accept(writeConfig);
        Connection connection;
        try {
            connection = writeConfig.createConnection(url);
        } catch (SQLException e) {
            throw SqliteErrors.translate(this.file, "opening the database", e);
        }
        this.writerConnection = new Statements(connection);
        try {
            Schema.upgrade(connection, this.file);
            // The writer issues its own BEGIN IMMEDIATE and COMMIT. In JDBC autocommit mode the driver
            // steps a "begin" after every statement to find out whether to commit, a fifth of the cost
            // of a write; with autocommit off it leaves transactions alone once the one it opens on
            // the switch is closed.
            connection.setAutoCommit(false);
            writerConnection.run("COMMIT");
            this.readConnections = readConnections(url, tuning);
        } catch (SQLException e) {
            closeAfterFailure(e);
            throw SqliteErrors.translate(this.file, "opening the database", e);
        } catch (RuntimeException e) {
            closeAfterFailure(e);
            throw e;
        }
        // After the connections: the WAL index exists once a connection has opened the file in WAL mode.
        this.view = readCommitted ? WalIndex.of(this.file).map(CommittedView::new).orElseGet(CommittedView::disabled)
                : CommittedView.disabled();
        SessionCache cache = new SessionCache(view);
        this.sessions = new SessionWrites(writerConnection, cache, access, clock);
        this.tenants = new TenantWrites(writerConnection, access);
        this.writer = new GroupCommitWriter(this.file, writerConnection, cache);
        this.reads = new Reads(readConnections, clock, access);
        this.tenantReads = new TenantReads(readConnections, clock, access);
        this.directory = new Directory(readConnections, clock, access);
    }

    private static void createParent(Path file) {
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new StoreException("cannot create directory " + parent + " for database " + file + ": " + e, e);
            }
        }
    }

    private ReadConnections readConnections(String url, Consumer<SQLiteConfig> tuning) throws SQLException {
        SQLiteConfig readConfig = new SQLiteConfig();
        readConfig.setBusyTimeout(BUSY_TIMEOUT_MS);
        tuning.accept(readConfig);
        readConfig.setReadOnly(true);
        int size = Math.clamp(Runtime.getRuntime().availableProcessors() * 2L, 2, 16);
        return new ReadConnections(file, url, readConfig, size);
    }

    private void closeAfterFailure(Exception failure) {
        try {
            writerConnection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** The writer connection's value of one of the pragmas that make writes durable (tests pin them). */
    String writerPragma(String name) {
        if (!List.of("journal_mode", "synchronous", "foreign_keys", "busy_timeout").contains(name)) {
            throw new IllegalArgumentException("not a pragma the store sets: " + name);
        }
        return writer.submit("reading pragma " + name, () -> {
            try (ResultSet rs = writerConnection.get("PRAGMA " + name).executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return "sqlite:" + file;
    }

    // ---- sessions ---------------------------------------------------------------------------------------

    @Override
    public SessionSnapshot create(NewSession spec) {
        Objects.requireNonNull(spec, "spec");
        PayloadTexts payloads = PayloadTexts.of(spec.initialEntries());
        return writer.submit("creating session " + spec.id(), () -> sessions.create(spec, payloads));
    }

    @Override
    public Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        CommittedView.Committed committed = committed(tenant, id);
        return committed != null ? Optional.of(committed.snapshot) : reads.find(tenant, id);
    }

    /** The live session as last committed, if the view of commits may answer for it; null: ask the file. */
    private CommittedView.Committed committed(TenantId tenant, SessionId id) {
        if (tenant == null || id == null) {
            return null;
        }
        CommittedView.Committed committed = view.current(new SessionCache.Key(tenant, id));
        return committed == null || committed.snapshot.info().isExpiredAt(clock.instant()) ? null : committed;
    }

    @Override
    public Page<SessionInfo> list(TenantId tenant, UserId user, String cursor, int limit) {
        return reads.list(tenant, user, cursor, limit);
    }

    @Override
    public boolean delete(TenantId tenant, SessionId id) {
        return writer.submit("deleting session " + id, () -> sessions.delete(tenant, id));
    }

    @Override
    public int deleteUser(TenantId tenant, UserId user) {
        return writer.submit("deleting user " + user, () -> {
            int deleted = sessions.deleteUser(tenant, user);
            tenants.eraseUser(tenant, user);
            return deleted;
        });
    }

    @Override
    public int sweepExpired(int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        return writer.submit("sweeping expired sessions", () -> sessions.sweepExpired(limit));
    }

    @Override
    public WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        return write(tenant, id, request, () -> { });
    }

    /** {@code request}, then {@code alsoDone} in the same savepoint: both land, or neither. */
    private WriteResult write(TenantId tenant, SessionId id, WriteRequest request, SqlStep alsoDone) {
        Objects.requireNonNull(request, "request");
        PayloadTexts payloads = PayloadTexts.of(request.entries());
        return writer.submit("writing to session " + id, () -> {
            WriteResult result = sessions.write(tenant, id, request, payloads);
            alsoDone.run();
            return result;
        });
    }

    @FunctionalInterface
    private interface SqlStep {
        void run() throws java.sql.SQLException;
    }

    @Override
    public Entry redact(TenantId tenant, SessionId id, EntryId entry, Payload.Redacted tombstone, Instant at) {
        Objects.requireNonNull(tombstone, "tombstone");
        Objects.requireNonNull(at, "at");
        return writer.submit("redacting entry " + entry + " of session " + id, () -> sessions.redact(tenant, id, entry, tombstone, at));
    }

    @Override
    public void importSession(SessionImage image) {
        Objects.requireNonNull(image, "image");
        writer.submit("importing session " + image.info().id(), () -> {
            sessions.importSession(image);
            return null;
        });
    }

    // ---- history ----------------------------------------------------------------------------------------

    @Override
    public Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entry) {
        CommittedView.Committed committed = entry == null ? null : committed(tenant, id);
        Optional<Entry> held = committed == null ? Optional.empty() : committed.entry(entry);
        return held.isPresent() ? held : reads.entry(tenant, id, entry);
    }

    @Override
    public List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        requireLimit(limit);
        Objects.requireNonNull(head, "head");
        CommittedView.Committed committed = limit == 0 ? null : committed(tenant, id);
        CommittedView.PathPart held = committed == null ? null : committed.path(head, limit);
        if (held == null) {
            return reads.path(tenant, id, head, limit);
        }
        if (held.next() == null) {
            return held.entries();
        }
        // The view holds the newest part; the rest is older and entries never change once written (a redaction drops
        // the session from the view), so the two parts read at different moments still make one path.
        List<Entry> older = reads.path(tenant, id, held.next(), limit - held.entries().size());
        List<Entry> whole = new ArrayList<>(older.size() + held.entries().size());
        whole.addAll(older);
        whole.addAll(held.entries());
        return whole;
    }

    @Override
    public List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        requireLimit(limit);
        return reads.entries(tenant, id, afterSeq, limit);
    }

    private static void requireLimit(int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        return reads.checkpoint(tenant, id, name);
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
        return tenantReads.sumCounters(tenant, user);
    }

    // ---- idempotency claims -----------------------------------------------------------------------------

    @Override
    public Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(at, "at");
        return writer.submit("claiming idempotency key on session " + id,
                () -> sessions.claimIdempotency(tenant, id, key, requestHash, at));
    }

    @Override
    public void releaseIdempotency(TenantId tenant, SessionId id, String key) {
        writer.submit("releasing idempotency key on session " + id, () -> {
            sessions.releaseIdempotency(tenant, id, key);
            return null;
        });
    }

    // ---- user- and app-scope state ----------------------------------------------------------------------

    @Override
    public Map<String, Versioned<String>> scopedState(TenantId tenant, Scope scope) {
        return tenantReads.scopedState(tenant, scope);
    }

    @Override
    public Optional<Versioned<String>> scopedValue(TenantId tenant, Scope scope, String key) {
        return tenantReads.scopedValue(tenant, scope, key);
    }

    @Override
    public long putScoped(TenantId tenant, Scope scope, String key, String json, Long ifVersion) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        return writer.submit("writing state key '" + key + "'", () -> tenants.putScoped(tenant, scope, key, json, ifVersion));
    }

    // ---- budgets ----------------------------------------------------------------------------------------

    @Override
    public void reserve(TenantId tenant, List<BudgetLimit> limits, long tokens) {
        List<BudgetLimit> copy = List.copyOf(limits);
        writer.submit("reserving budget", () -> {
            tenants.reserve(tenant, copy, tokens);
            return null;
        });
    }

    @Override
    public void settle(TenantId tenant, List<BudgetKey> keys, long reserved, long actual) {
        List<BudgetKey> copy = List.copyOf(keys);
        writer.submit("settling budget", () -> {
            tenants.settle(tenant, copy, reserved, actual);
            return null;
        });
    }

    /** The turn's write and its settlement in one savepoint of one group commit: one fsync, not two. */
    @Override
    public WriteResult writeAndSettle(TenantId tenant, SessionId id, WriteRequest request, List<BudgetKey> keys,
                                      long reserved, long actual) {
        List<BudgetKey> copy = List.copyOf(keys);
        return write(tenant, id, request, () -> tenants.settle(tenant, copy, reserved, actual));
    }

    @Override
    public long budgetUsed(TenantId tenant, BudgetKey key) {
        return tenantReads.budgetUsed(tenant, key);
    }

    // ---- users' keys ------------------------------------------------------------------------------------

    @Override
    public Optional<String> userKey(TenantId tenant, UserId user) {
        return tenantReads.userKey(tenant, user);
    }

    @Override
    public String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        return writer.submit("storing the key of user " + user, () -> tenants.userKeyIfAbsent(tenant, user, wrappedKey));
    }

    @Override
    public Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        return directory.userKeys(tenant, cursor, limit);
    }

    @Override
    public boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        Objects.requireNonNull(expectedWrapped, "expectedWrapped");
        Objects.requireNonNull(newWrapped, "newWrapped");
        return writer.submit("replacing the key of user " + user,
                () -> tenants.replaceUserKey(tenant, user, expectedWrapped, newWrapped));
    }

    // ---- enumeration ------------------------------------------------------------------------------------

    @Override
    public Page<TenantId> tenants(String cursor, int limit) {
        return directory.tenants(cursor, limit);
    }

    @Override
    public Page<UserId> users(TenantId tenant, String cursor, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        return directory.users(tenant, cursor, limit);
    }

    // ---- observation and lifecycle ----------------------------------------------------------------------

    @Override
    public AccessCounter accessCounter() {
        return access;
    }

    /** Finishes every write already submitted, then closes the writer and the read connections. */
    @Override
    public void close() {
        writer.close();
        // Reads of a closed store fail as they did before; the WAL index is not read again.
        view.forgetAll();
        SQLException failure = null;
        try {
            readConnections.close();
        } catch (SQLException e) {
            failure = e;
        }
        try {
            writerConnection.close();
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw SqliteErrors.translate(file, "closing the database", failure);
        }
    }
}
