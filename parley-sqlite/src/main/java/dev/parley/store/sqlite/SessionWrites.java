package dev.parley.store.sqlite;

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
import dev.parley.json.ParleyJson;
import dev.parley.store.AccessCounter;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.NewSession;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every change to a session's rows, run by the writer thread inside its open transaction. What a
 * write means is decided by {@link WritePlanner}; this class finds the session, offers the planner
 * its point lookups, and persists the plan: an append is INSERTs plus an UPDATE of the session row
 * and the branch, never a rewrite.
 */
final class SessionWrites {
    private final Statements sql;
    private final SessionRows rows;
    private final SessionCache cache;
    private final AccessCounter access;
    private final Clock clock;

    SessionWrites(Statements sql, SessionCache cache, AccessCounter access, Clock clock) {
        this.sql = sql;
        this.rows = new SessionRows(sql, access);
        this.cache = cache;
        this.access = access;
        this.clock = clock;
    }

    // ---- finding a session ----------------------------------------------------------------------------

    /** The session's state if it exists and has not expired. */
    private Optional<SessionState> live(TenantId tenant, SessionId id) throws SQLException {
        SessionCache.Key key = new SessionCache.Key(tenant, id);
        SessionState state = cache.get(key);
        if (state == null) {
            state = load(tenant, id);
            if (state == null) {
                return Optional.empty();
            }
            cache.put(key, state);
        }
        return state.info().isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(state);
    }

    private SessionState require(TenantId tenant, SessionId id) throws SQLException {
        return live(tenant, id).orElseThrow(() -> new NotFoundException("no session " + id));
    }

    private SessionState load(TenantId tenant, SessionId id) throws SQLException {
        PreparedStatement ps = sql.get("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions s WHERE s.tenant = ? AND s.id = ?");
        ps.setString(1, tenant.value());
        ps.setString(2, id.value());
        long pk;
        SessionInfo info;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            pk = rs.getLong(1);
            info = Rows.session(rs, 1);
        }
        PreparedStatement branches = sql.get("SELECT name, head FROM branches WHERE session_pk = ?");
        branches.setLong(1, pk);
        Map<String, Branch> byName = new HashMap<>();
        try (ResultSet rs = branches.executeQuery()) {
            while (rs.next()) {
                byName.put(rs.getString(1), new Branch(rs.getString(1), Rows.entryId(rs, 2)));
            }
        }
        access.read(1 + byName.size());
        return new SessionState(pk, info, byName, Map.of());
    }

    /** Makes room for a new session with this id: conflict if a live one has it, else removes an expired one. */
    private void claimId(TenantId tenant, SessionId id) throws SQLException {
        PreparedStatement ps = sql.get("SELECT pk, expires_at FROM sessions WHERE tenant = ? AND id = ?");
        ps.setString(1, tenant.value());
        ps.setString(2, id.value());
        long pk;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return;
            }
            pk = rs.getLong(1);
            Instant expires = Rows.instant(rs, 2);
            if (expires == null || expires.isAfter(clock.instant())) {
                throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + id + " already exists");
            }
        }
        remove(pk, tenant, id);
    }

    // ---- creating and importing -------------------------------------------------------------------------

    SessionSnapshot create(NewSession spec, PayloadTexts payloads) throws SQLException {
        claimId(spec.tenant(), spec.id());
        WritePlan plan = WritePlanner.planCreate(spec);
        long pk = rows.insertSession(plan.info());
        rows.insertEntries(pk, plan.entries(), payloads);
        for (Branch branch : plan.branches().values()) {
            rows.upsertBranch(pk, branch);
        }
        access.wrote(plan.entries().size() + 1);
        SessionState state = new SessionState(pk, plan.info(), Map.of(), Map.of()).next(plan.info(), plan.branches(), plan.entries());
        cache.wrote(new SessionCache.Key(spec.tenant(), spec.id()), state, plan.entries(), payloads);
        return state.snapshot();
    }

    void importSession(SessionImage image) throws SQLException {
        SessionInfo info = image.info();
        claimId(info.tenant(), info.id());
        long pk = rows.insertSession(info);
        rows.insertEntries(pk, image.entries(), PayloadTexts.NONE);
        Map<String, Branch> branches = new HashMap<>();
        for (Branch branch : image.branches()) {
            rows.upsertBranch(pk, branch);
            branches.put(branch.name(), branch);
        }
        for (Checkpoint checkpoint : image.checkpoints()) {
            rows.insertCheckpoint(pk, checkpoint);
        }
        for (VaultRow row : image.vault()) {
            rows.insertVaultRow(pk, row);
        }
        rows.addCounters(pk, image.counters());
        access.wrote(image.entries().size() + 1);
        cache.rewrote(new SessionCache.Key(info.tenant(), info.id()), new SessionState(pk, info, branches, Map.of()));
    }

    // ---- writes -------------------------------------------------------------------------------------------

    WriteResult write(TenantId tenant, SessionId id, WriteRequest request, PayloadTexts payloads) throws SQLException {
        SessionState state = require(tenant, id);
        WritePlan plan;
        try {
            plan = WritePlanner.plan(new TxnContext(sql, state, access), request);
        } catch (TxnContext.Failure e) {
            throw e.getCause();
        }
        if (!plan.replay()) {
            rows.persist(state.pk(), state.info(), plan, payloads);
            Map<String, Branch> branches = new HashMap<>(state.branches());
            branches.putAll(plan.branches());
            plan.deletedBranches().forEach(branches::remove);
            cache.wrote(new SessionCache.Key(tenant, id), state.next(plan.info(), branches, plan.entries()), plan.entries(), payloads);
        }
        return plan.result();
    }

    // ---- redaction ----------------------------------------------------------------------------------------

    Entry redact(TenantId tenant, SessionId id, EntryId entryId, Payload.Redacted tombstone, Instant at) throws SQLException {
        SessionState state = require(tenant, id);
        Entry entry = TxnContext.entry(sql, state.pk(), entryId, access)
                .orElseThrow(() -> new NotFoundException("no entry " + entryId + " in session " + id));
        if (entry.kind() != EntryKind.MESSAGE) {
            throw new InvalidInputException("entry id",
                    "entry " + entryId + " is a " + entry.kind() + " entry; only messages can be redacted");
        }
        Entry redacted = entry.withPayload(tombstone);
        PreparedStatement ps = sql.get("UPDATE entries SET payload = ? WHERE session_pk = ? AND seq = ?");
        ps.setString(1, ParleyJson.payloadText(tombstone));
        ps.setLong(2, state.pk());
        ps.setLong(3, entryId.value());
        ps.executeUpdate();
        SessionInfo info = state.info().touched(at);
        rows.updateSession(state.pk(), state.info(), info);
        access.wrote(2);
        Map<EntryId, Entry> heads = new HashMap<>(state.heads());
        heads.replace(entryId, redacted);
        cache.rewrote(new SessionCache.Key(tenant, id), new SessionState(state.pk(), info, state.branches(), heads));
        return redacted;
    }

    // ---- idempotency claims -----------------------------------------------------------------------------

    Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String hash, Instant at)
            throws SQLException {
        SessionState state = require(tenant, id);
        Optional<IdempotencyRecord> existing = SessionRows.idempotency(sql, state.pk(), key);
        if (existing.isPresent()) {
            return existing;
        }
        rows.putIdempotency(state.pk(), new IdempotencyRecord(key, hash, List.of(), at, true));
        access.wrote(1);
        return Optional.empty();
    }

    void releaseIdempotency(TenantId tenant, SessionId id, String key) throws SQLException {
        Optional<SessionState> state = live(tenant, id);
        if (state.isPresent()) {
            PreparedStatement ps = sql.get("DELETE FROM idempotency WHERE session_pk = ? AND key = ? AND pending = 1");
            ps.setLong(1, state.get().pk());
            ps.setString(2, key);
            access.wrote(ps.executeUpdate());
        }
    }

    // ---- deletion -----------------------------------------------------------------------------------------

    boolean delete(TenantId tenant, SessionId id) throws SQLException {
        PreparedStatement ps = sql.get("SELECT pk, expires_at FROM sessions WHERE tenant = ? AND id = ?");
        ps.setString(1, tenant.value());
        ps.setString(2, id.value());
        long pk;
        boolean wasLive;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            pk = rs.getLong(1);
            Instant expires = Rows.instant(rs, 2);
            wasLive = expires == null || expires.isAfter(clock.instant());
        }
        remove(pk, tenant, id);
        return wasLive;
    }

    int deleteUser(TenantId tenant, UserId user) throws SQLException {
        PreparedStatement ps = sql.get("SELECT pk, id, expires_at FROM sessions WHERE tenant = ? AND user_id = ?");
        ps.setString(1, tenant.value());
        ps.setString(2, user.value());
        record Owned(long pk, SessionId id, boolean live) {
        }
        List<Owned> owned = new ArrayList<>();
        Instant now = clock.instant();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant expires = Rows.instant(rs, 3);
                owned.add(new Owned(rs.getLong(1), SessionId.of(rs.getString(2)), expires == null || expires.isAfter(now)));
            }
        }
        int deleted = 0;
        for (Owned session : owned) {
            remove(session.pk(), tenant, session.id());
            deleted += session.live() ? 1 : 0;
        }
        return deleted;
    }

    int sweepExpired(int limit) throws SQLException {
        Instant now = clock.instant();
        PreparedStatement old = sql.get("DELETE FROM idempotency WHERE at < ?");
        old.setLong(1, now.minus(IdempotencyRecord.RETENTION).toEpochMilli());
        old.executeUpdate();
        PreparedStatement ps = sql.get("SELECT pk, tenant, id FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?");
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        record Expired(long pk, TenantId tenant, SessionId id) {
        }
        List<Expired> expired = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                expired.add(new Expired(rs.getLong(1), TenantId.of(rs.getString(2)), SessionId.of(rs.getString(3))));
            }
        }
        for (Expired session : expired) {
            remove(session.pk(), session.tenant(), session.id());
        }
        return expired.size();
    }

    private void remove(long pk, TenantId tenant, SessionId id) throws SQLException {
        rows.removeSession(pk, tenant, id);
        cache.forget(new SessionCache.Key(tenant, id));
    }
}
