package dev.parley.store.jsonl;

import dev.parley.ConflictException;
import dev.parley.NotFoundException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.BudgetKey;
import dev.parley.store.SessionSnapshot;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The open sessions of every tenant: finding one, locking it for a write, adding a new one and removing
 * one with its file. A session is only ever reached through its tenant's map, so an id of another
 * tenant is simply not there.
 */
final class SessionRegistry {
    private final Layout layout;
    private final ConcurrentMap<TenantId, ConcurrentMap<SessionId, SessionData>> sessions;
    private final ConcurrentMap<TenantId, TenantState> tenants;

    SessionRegistry(Layout layout, ConcurrentMap<TenantId, ConcurrentMap<SessionId, SessionData>> sessions,
                    ConcurrentMap<TenantId, TenantState> tenants) {
        this.layout = layout;
        this.sessions = sessions;
        this.tenants = tenants;
    }

    /** A tenant's sessions (live or not; callers check). */
    Iterable<SessionData> of(TenantId tenant) {
        Map<SessionId, SessionData> map = sessions.get(tenant);
        return map == null ? List.of() : map.values();
    }

    /** The tenants that have held sessions since the store opened (callers check whether any is live). */
    Set<TenantId> tenants() {
        return sessions.keySet();
    }

    void forEach(BiConsumer<TenantId, SessionData> action) {
        sessions.forEach((tenant, map) -> map.values().forEach(data -> action.accept(tenant, data)));
    }

    SessionData lookup(TenantId tenant, SessionId id) {
        Map<SessionId, SessionData> map = sessions.get(tenant);
        return map == null ? null : map.get(id);
    }

    /** Runs {@code reader} over the live session under its read lock; not found otherwise. */
    <T> T read(TenantId tenant, SessionId id, Instant now, Function<SessionData, T> reader) {
        SessionData data = lookup(tenant, id);
        if (data == null) {
            throw new NotFoundException("no session " + id);
        }
        return data.read(now, () -> reader.apply(data));
    }

    /**
     * The live session, with its writer lock held (the caller unlocks). If it was deleted while this
     * thread waited for the lock, the id is looked up again, since a new session may have taken it.
     */
    SessionData lockLive(TenantId tenant, SessionId id, Instant now) {
        while (true) {
            SessionData data = lookup(tenant, id);
            if (data == null) {
                throw new NotFoundException("no session " + id);
            }
            data.writer.lock();
            if (!data.isDeleted() && data.isLive(now)) {
                return data;
            }
            data.writer.unlock();
            if (!data.isDeleted() || lookup(tenant, id) == data) {
                throw new NotFoundException("no session " + id);
            }
        }
    }

    /**
     * Writes a session's first line and publishes the session; returns its snapshot. The new session is
     * in the map, locked, before its file exists, so a concurrent creation of the same id waits and then
     * sees it. An expired session holding the id is deleted first: its id is free at once.
     */
    SessionSnapshot install(TenantId tenant, SessionId id, Change.Write change, Instant now) {
        Path file = layout.sessionFile(tenant, id);
        ConcurrentMap<SessionId, SessionData> map = sessions.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        SessionData fresh = new SessionData(id);
        fresh.writer.lock();
        try {
            SessionData existing;
            while ((existing = map.putIfAbsent(id, fresh)) != null) {
                existing.writer.lock();
                try {
                    if (existing.isLive(now)) {
                        throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + id + " already exists");
                    }
                    if (!existing.isDeleted() && existing.info() != null) {
                        remove(tenant, existing);
                    }
                    map.remove(id, existing);
                } finally {
                    existing.writer.unlock();
                }
            }
            LogFile log;
            try {
                layout.ensureDirectory(layout.sessionsDir(tenant));
                log = LogFile.create(file, SessionLines.encode(change));
            } catch (RuntimeException e) {
                fresh.markDeleted();
                map.remove(id, fresh);
                throw e;
            }
            if (log == null) {
                fresh.markDeleted();
                map.remove(id, fresh);
                throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + id + " already exists: "
                        + file + " is taken (on a case-insensitive file system, by an id differing only in case)");
            }
            fresh.attach(log);
            fresh.apply(change);
            return fresh.snapshot();
        } finally {
            fresh.writer.unlock();
        }
    }

    /** Deletes a session's file, then forgets it and its session budget. The caller holds its writer lock. */
    void remove(TenantId tenant, SessionData data) {
        data.file().delete();
        data.markDeleted();
        Map<SessionId, SessionData> map = sessions.get(tenant);
        if (map != null) {
            map.remove(data.id, data);
        }
        TenantState state = tenants.get(tenant);
        if (state != null) {
            state.forgetBudget(new BudgetKey(BudgetKey.Level.SESSION, data.id.value()));
        }
    }
}
