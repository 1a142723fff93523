package dev.parley;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.Page;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.SessionStore;
import dev.parley.store.WritePlanner;
import dev.parley.store.memory.InMemorySessionStore;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The entry point of the library: creates, opens, lists and deletes sessions in one tenant of a store.
 *
 * <pre>{@code
 * try (Parley parley = Parley.builder().store(new SqliteSessionStore(path)).build()) {
 *     Session s = parley.create(SessionSpec.builder().user("alice").systemPrompt("Be brief.").build());
 *     s.add(Message.user("Hello"));
 * }
 * }</pre>
 *
 * Thread-safe; share one instance. {@link #forTenant} gives a view on another tenant of the same store.
 *
 * <p>The in-process implementation of the session API ({@link dev.parley.api.Sessions}); a Parley server's client
 * ({@code parley-client}) is the remote one, so code written against the interfaces runs on either. What needs the
 * store itself (other tenants, sweeping, store images, tenant-wide state and analytics) is only here.
 */
public final class Parley implements dev.parley.api.Sessions {
    /** Settings keys holding a session's model defaults: {@code model.<key>}. */
    public static final String MODEL_SETTING_PREFIX = "model.";

    private final SessionStore store;
    private final Clock clock;
    private final TenantId tenant;
    private final boolean ownsStore;
    private final BudgetLimits budgetLimits;
    private final dev.parley.context.ContextBuilder contextBuilder;

    private Parley(SessionStore store, Clock clock, TenantId tenant, boolean ownsStore, BudgetLimits budgetLimits,
                   dev.parley.context.ContextBuilder contextBuilder) {
        this.store = store;
        this.clock = clock;
        this.tenant = tenant;
        this.ownsStore = ownsStore;
        this.budgetLimits = budgetLimits;
        this.contextBuilder = contextBuilder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A Parley over a fresh in-memory store: for tests and experiments. */
    public static Parley inMemory() {
        return builder().build();
    }

    public Parley forTenant(TenantId other) {
        return new Parley(store, clock, Objects.requireNonNull(other, "tenant"), false, budgetLimits, contextBuilder);
    }

    public TenantId tenant() {
        return tenant;
    }

    public SessionStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** The lifetime token budgets applied to every session (a session may set its own, tighter or looser). */
    public BudgetLimits budgetLimits() {
        return budgetLimits;
    }

    /** Builds contexts from the store; shares one token-count cache across all sessions. */
    public dev.parley.context.ContextBuilder contextBuilder() {
        return contextBuilder;
    }

    /** The current time, to the millisecond (what every store keeps). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public Session create() {
        return create(SessionSpec.builder().build());
    }

    /** Creates a session; a taken id is a {@link ConflictException}. */
    @Override
    public Session create(SessionSpec spec) {
        Instant now = now();
        List<EntryDraft> initial = new ArrayList<>();
        if (spec.systemPrompt() != null) {
            initial.add(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(Message.system(spec.systemPrompt()))));
        }
        for (Message m : spec.initialPrompts()) {
            initial.add(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(m)));
        }
        if (!spec.state().isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            spec.state().forEach((k, v) -> values.put(k, StateValues.toJson(k, v)));
            SessionStateScope.requireWithinCap(values);
            initial.add(new EntryDraft(now, EntryKind.STATE, new Payload.StatePayload(values, Set.of(), values)));
        }
        Map<String, String> settings = new HashMap<>();
        settings.putAll(spec.settings());
        spec.modelDefaults().forEach((k, v) -> settings.put(MODEL_SETTING_PREFIX + k, v));
        if (spec.tokenBudget() != null) {
            settings.put(Budget.SESSION_LIMIT, Long.toString(spec.tokenBudget()));
        }
        if (spec.checkpointEvery() > 0) {
            settings.put(WritePlanner.CHECKPOINT_EVERY, Integer.toString(spec.checkpointEvery()));
        }
        SessionId id = spec.id() == null ? SessionId.random() : spec.id();
        UserId user = spec.user() == null ? UserId.ANONYMOUS : spec.user();
        store.create(new NewSession(tenant, id, user, now, spec.ttl() == null ? null : now.plus(spec.ttl()),
                spec.idleTtl(), spec.metadata(), settings, initial));
        return handle(id, user);
    }

    /**
     * A handle (on branch {@code main}) on the session {@code snapshot} was read from, without reading it again: for
     * callers that read the row through {@link #store()} anyway. The snapshot must be of this engine's tenant.
     */
    public Session open(SessionSnapshot snapshot) {
        SessionInfo info = snapshot.info();
        if (!info.tenant().equals(tenant)) {
            throw new InvalidInputException("snapshot", "session " + info.id() + " belongs to tenant " + info.tenant()
                    + ", not " + tenant);
        }
        return handle(info.id(), info.user());
    }

    /** A handle on branch {@code main} of a session known to exist. */
    private Session handle(SessionId id, UserId user) {
        return new Session(this, id, user, dev.parley.domain.Names.MAIN, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** Opens a session on branch {@code main}; {@link NotFoundException} "no session X" if it does not exist. */
    @Override
    public Session open(SessionId id) {
        return find(id).orElseThrow(() -> new NotFoundException("no session " + id));
    }

    @Override
    public Session open(String id) {
        return open(SessionId.of(id));
    }

    @Override
    public Optional<Session> find(SessionId id) {
        return store.find(tenant, id).map(s -> handle(id, s.info().user()));
    }

    @Override
    public boolean exists(SessionId id) {
        return store.find(tenant, id).isPresent();
    }

    /** Deletes a session and everything it holds; false if there was none. */
    @Override
    public boolean delete(SessionId id) {
        return store.delete(tenant, id);
    }

    /** One page of the tenant's sessions (one user's if {@code user} is given), newest first. */
    @Override
    public Page<SessionInfo> list(UserId user, String cursor, int limit) {
        return store.list(tenant, user, cursor, limit);
    }

    /** Deletes up to {@code batchSize} expired sessions; call it periodically (the server does). */
    public int sweepExpired(int batchSize) {
        if (batchSize < 1) {
            throw new InvalidInputException("batchSize", "batchSize must be >= 1: " + batchSize);
        }
        return store.sweepExpired(batchSize);
    }

    /** Erases a user: all their sessions, user-scope state, budgets and keys. Returns the sessions deleted. */
    @Override
    public int eraseUser(UserId user) {
        return store.deleteUser(tenant, user);
    }

    // ---- whole sessions: export, import, clone, merge ---------------------------------------------

    /** Everything a session holds, as of one consistent read. */
    public dev.parley.store.SessionImage export(SessionId id) {
        return new SessionTransfer(this).export(id);
    }

    /** The session as a versioned Parley JSON document (vault rows stay encrypted). */
    @Override
    public String exportJson(SessionId id) {
        return dev.parley.json.ParleyJson.write(dev.parley.io.SessionDocument.write(export(id)));
    }

    /**
     * Imports a Parley JSON document into this tenant, under {@code asId} if given (else the document's id).
     * A corrupt document, or one of a newer format version, is refused with a clear error and nothing is written.
     */
    @Override
    public Session importJson(String json, SessionId asId) {
        var image = dev.parley.io.SessionDocument.read(dev.parley.json.ParleyJson.parse(json, "session export"), tenant, asId);
        return new SessionTransfer(this).importImage(image);
    }

    /** Imports a session written by {@link #save}. */
    @Override
    public Session load(java.nio.file.Path file) {
        return (Session) dev.parley.api.Sessions.super.load(file); // importJson here always makes a Session
    }

    /**
     * A new session copying another: the whole history ({@link CloneMode#FULL}), optionally cut at an
     * entry (only the path up to it), or only the initial context ({@link CloneMode#INITIAL}).
     */
    @Override
    public Session clone(SessionId source, CloneMode mode, dev.parley.domain.EntryId at, SessionId newId) {
        return new SessionTransfer(this).clone(source, mode, at, newId);
    }

    /** A new session interleaving the main paths of {@code a} and {@code b} by time, whole turns at a time (rule in {@code SessionTransfer.merge}). */
    @Override
    public Session merge(SessionId a, SessionId b, SessionId newId) {
        return new SessionTransfer(this).merge(a, b, newId);
    }

    /** Analytics summed over one user's sessions ({@code user} given) or the whole tenant's, from the store's counters. */
    public dev.parley.analytics.Analytics analytics(UserId user, dev.parley.analytics.PriceTable prices) {
        return dev.parley.analytics.Analytics.from(store.sumCounters(tenant, user), null, null, prices);
    }

    /** Tenant-wide state (app scope), shared by every session of the tenant. */
    public StateScope appState() {
        return new StoredStateScope(store, tenant, dev.parley.store.Scope.app());
    }

    /** One user's state (preferences, profile), shared by all their sessions. */
    public StateScope userState(UserId user) {
        return new StoredStateScope(store, tenant, dev.parley.store.Scope.user(user));
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }

    public static final class Builder {
        private SessionStore store;
        private Clock clock = Clock.systemUTC();
        private TenantId tenant = TenantId.DEFAULT;
        private BudgetLimits budgetLimits = BudgetLimits.UNLIMITED;
        private long tokenCacheEntries = 100_000;

        private Builder() {
        }

        /** Lifetime token budgets per session, user and tenant (default: unlimited). */
        public Builder budgetLimits(BudgetLimits value) {
            this.budgetLimits = Objects.requireNonNull(value, "budgetLimits");
            return this;
        }

        /** How many token counts (per entry and tokenizer) to keep in memory (default 100 000). */
        public Builder tokenCacheEntries(long value) {
            if (value < 1) {
                throw new InvalidInputException("tokenCacheEntries", "tokenCacheEntries must be >= 1: " + value);
            }
            this.tokenCacheEntries = value;
            return this;
        }

        /** The store; closed when the Parley is closed. Default: a new in-memory store. */
        public Builder store(SessionStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder tenant(TenantId value) {
            this.tenant = Objects.requireNonNull(value, "tenant");
            return this;
        }

        public Parley build() {
            SessionStore chosen = store == null ? new InMemorySessionStore(clock) : store;
            return new Parley(chosen, clock, tenant, true, budgetLimits, new dev.parley.context.ContextBuilder(chosen,
                    new dev.parley.tokens.TokenCountCache(tokenCacheEntries), clock));
        }
    }
}
