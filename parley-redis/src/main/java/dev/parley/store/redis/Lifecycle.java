package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.Scope;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;

import java.time.Instant;
import java.util.List;

/**
 * Sessions going away: deleted one by one, with their user, or by the sweeper once expired. The sweeper
 * also repairs the cross-slot hints: every session it finds in the expiry index is checked against
 * Redis and the store's clock, then deleted, looked at again later, or dropped from the indexes.
 */
final class Lifecycle {
    /** Sessions the sweeper may examine per call beyond those it deletes (alive ones it re-schedules, stale hints). */
    private static final int EXTRA_EXAMINED = 100;
    /** Sessions whose old idempotency records the sweeper prunes per session it may delete. */
    private static final int IDEMPOTENCY_PER_SESSION = 10;

    private final Backend backend;
    private final Index index;
    private final TenantData tenants;
    private final Directory directory;

    Lifecycle(Backend backend, Index index, TenantData tenants, Directory directory) {
        this.backend = backend;
        this.index = index;
        this.tenants = tenants;
        this.directory = directory;
    }

    boolean delete(TenantId tenant, SessionId id) {
        SessionKeys keys = backend.keys().session(tenant, id);
        SessionRow row = SessionRow.read(backend, keys, id);
        if (!row.exists()) {
            return false;
        }
        boolean live = row.liveAt(backend.now());
        return deleteIncarnation(row.ref(tenant, id), keys) && live;
    }

    /** Deletes one incarnation's keys, its session budget and its hints; false if it was already gone. */
    private boolean deleteIncarnation(SessionRef ref, SessionKeys keys) {
        Long deleted = backend.redis().run(Script.DELETE, ScriptOutputType.INTEGER, "delete session " + ref.id(), keys.all(), ref.uid());
        if (deleted == 1L) {
            backend.redis().call("delete the budget of session " + ref.id(), r -> r.hdel(backend.keys().budgets(ref.tenant()),
                    Keys.budgetField(new BudgetKey(BudgetKey.Level.SESSION, ref.id().value()))));
            backend.access().wrote(1);
        }
        index.remove(ref);
        return deleted == 1L;
    }

    /**
     * Deletes the user's sessions, state, budget and key, then their directory hint, unless something of theirs was
     * written meanwhile (judged against the hint's token read first, see {@link Directory}).
     */
    int deleteUser(TenantId tenant, UserId user) {
        String token = directory.userToken(tenant, user);
        int deleted = 0;
        for (SessionRef hint : index.all(tenant, user)) {
            SessionKeys keys = backend.keys().session(tenant, hint.id());
            SessionRow row = SessionRow.read(backend, keys, hint.id());
            if (hint.uid().equals(row.uid()) && user.value().equals(row.user())) {
                boolean live = row.liveAt(backend.now());
                if (deleteIncarnation(row.ref(tenant, hint.id()), keys) && live) {
                    deleted++;
                }
            } else {
                index.remove(hint);
            }
        }
        backend.redis().pipeline("erase user " + user, r -> List.of(
                r.del(backend.keys().state(tenant, Scope.user(user))),
                r.hdel(backend.keys().budgets(tenant), Keys.budgetField(new BudgetKey(BudgetKey.Level.USER, user.value())))));
        tenants.eraseUserKey(tenant, user);
        directory.forgetUser(tenant, user, token);
        return deleted;
    }

    int sweepExpired(int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "sweep limit must be >= 0: " + limit);
        }
        Instant now = backend.now();
        int deleted = 0;
        int examined = 0;
        int budget = limit + EXTRA_EXAMINED;
        while (deleted < limit && examined < budget) {
            int batch = Math.min(budget - examined, 100);
            List<String> due = backend.redis().call("read the expiry index", r -> r.zrangebyscore(backend.keys().expiry(),
                    Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now.toEpochMilli())), Limit.create(0, batch)));
            for (String member : due) {
                if (deleted >= limit) {
                    break;
                }
                examined++;
                deleted += examine(SessionRef.fromGlobal(member), now);
            }
            if (due.size() < batch) {
                break;
            }
        }
        pruneIdempotency(now, Math.max(limit, 1) * IDEMPOTENCY_PER_SESSION);
        return deleted;
    }

    /** Deletes the session if it expired (1), or re-schedules or drops its hint (0). */
    private int examine(SessionRef hint, Instant now) {
        SessionKeys keys = backend.keys().session(hint.tenant(), hint.id());
        SessionRow row = SessionRow.read(backend, keys, hint.id());
        if (!hint.uid().equals(row.uid())) {
            index.remove(hint);
            return 0;
        }
        if (Codec.expired(row.expiresAt(), now)) {
            return deleteIncarnation(hint, keys) ? 1 : 0;
        }
        if (row.expiresAt() == null) {
            index.expiry(hint, null);
        } else {
            index.rescheduleIfPresent(hint, Instant.parse(row.expiresAt()));
        }
        return 0;
    }

    /**
     * Prunes idempotency records older than their retention in the sessions that hold the oldest ones.
     * A session left with none is dropped from the index and then checked once more, so a record
     * written meanwhile is never left out of it.
     */
    private void pruneIdempotency(Instant now, int sessions) {
        long cutoff = now.minus(IdempotencyRecord.RETENTION).toEpochMilli();
        String index = backend.keys().idempotency();
        List<String> due = backend.redis().call("read the idempotency index",
                r -> r.zrangebyscore(index, Range.from(Range.Boundary.unbounded(), Range.Boundary.including(cutoff)), Limit.create(0, sessions)));
        for (String member : due) {
            SessionRef ref = SessionRef.fromGlobal(member);
            SessionKeys keys = backend.keys().session(ref.tenant(), ref.id());
            String oldest = backend.redis().run(Script.PRUNE, ScriptOutputType.VALUE, "prune idempotency records",
                    new String[]{keys.idempotency(), keys.idempotencyTimes()}, Long.toString(cutoff));
            if (oldest != null) {
                backend.redis().call("index idempotency", r -> r.zadd(index, Double.parseDouble(oldest), member));
                continue;
            }
            backend.redis().call("index idempotency", r -> r.zrem(index, member));
            List<ScoredValue<String>> left = backend.redis().call("read idempotency records",
                    r -> r.zrangeWithScores(keys.idempotencyTimes(), 0, 0));
            if (!left.isEmpty()) {
                backend.redis().call("index idempotency", r -> r.zadd(index, ZAddArgs.Builder.nx(), left.getFirst().getScore(), member));
            }
        }
    }
}
