package dev.parley.store.redis;

import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ZAddArgs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The indexes that span sessions, and so slots: a tenant's sessions, a user's sessions, the sessions
 * the sweeper must look at (expiry), and the sessions holding idempotency records. They are hints:
 * added before a session is written and removed after it is deleted, so they never miss a session;
 * a hint whose session is gone (or is another incarnation) is skipped by readers and removed by the
 * sweeper, which re-checks every session it finds against the store's clock.
 */
final class Index {
    /**
     * How long a session being created stays in the expiry index when it has no expiry of its own: if
     * its creator dies half-way, the sweeper finds the hints and removes them once this has passed.
     */
    static final Duration PENDING = Duration.ofMinutes(10);
    private static final int BATCH = 200;

    private final Backend backend;

    Index(Backend backend) {
        this.backend = backend;
    }

    private Keys keys() {
        return backend.keys();
    }

    /** Adds the hints of a session about to be created; the sweeper looks at it when it expires or, without expiry, after {@link #PENDING}. */
    void add(SessionRef ref, Instant expiresAt) {
        Instant look = expiresAt != null ? expiresAt : backend.now().plus(PENDING);
        backend.redis().pipeline("index session " + ref.id(), r -> List.of(
                r.zadd(keys().sessionsOf(ref.tenant()), 0, ref.indexMember()),
                r.zadd(keys().sessionsOf(ref.tenant(), ref.user()), 0, ref.indexMember()),
                r.zadd(keys().expiry(), look.toEpochMilli(), ref.globalMember())));
    }

    /** Removes every hint of one incarnation of a session (after it was deleted, or when it was never created). */
    void remove(SessionRef ref) {
        backend.redis().pipeline("unindex session " + ref.id(), r -> {
            List<RedisFuture<Long>> futures = new ArrayList<>(List.of(
                    r.zrem(keys().sessionsOf(ref.tenant()), ref.indexMember()),
                    r.zrem(keys().expiry(), ref.globalMember()),
                    r.zrem(keys().idempotency(), ref.globalMember())));
            if (ref.user() != null) {
                futures.add(r.zrem(keys().sessionsOf(ref.tenant(), ref.user()), ref.indexMember()));
            }
            return futures;
        });
    }

    /** Tells the sweeper when to look at a session next, or that it need not (expiry {@code null}). */
    void expiry(SessionRef ref, Instant expiresAt) {
        backend.redis().call("index expiry of session " + ref.id(), r -> expiresAt == null
                ? r.zrem(keys().expiry(), ref.globalMember())
                : r.zadd(keys().expiry(), expiresAt.toEpochMilli(), ref.globalMember()));
    }

    /** Re-scores an expiry hint only if it is still there (a concurrent delete may have removed it). */
    void rescheduleIfPresent(SessionRef ref, Instant expiresAt) {
        backend.redis().call("index expiry of session " + ref.id(),
                r -> r.zadd(keys().expiry(), ZAddArgs.Builder.xx(), expiresAt.toEpochMilli(), ref.globalMember()));
    }

    /** Notes that a session holds an idempotency record from {@code at}, unless an older one is noted already. */
    void idempotency(SessionRef ref, Instant at) {
        backend.redis().call("index idempotency of session " + ref.id(),
                r -> r.zadd(keys().idempotency(), ZAddArgs.Builder.nx(), at.toEpochMilli(), ref.globalMember()));
    }

    /** A page of a tenant's (or one user's) live sessions, newest first; stale hints are skipped. */
    Page<SessionInfo> list(TenantId tenant, UserId user, ListCursor after, int limit) {
        String key = user == null ? keys().sessionsOf(tenant) : keys().sessionsOf(tenant, user);
        Range.Boundary<String> upper = after == null ? Range.Boundary.unbounded()
                : Range.Boundary.excluding(SessionRef.indexBound(after.createdAt(), after.id()));
        List<SessionInfo> items = new ArrayList<>();
        Instant now = backend.now();
        int batch = Math.min(BATCH, limit + 1);
        while (items.size() <= limit) {
            Range<String> range = Range.from(Range.Boundary.unbounded(), upper);
            List<String> members = backend.redis().call("list sessions",
                    r -> r.zrevrangebylex(key, range, Limit.create(0, batch)));
            if (members.isEmpty()) {
                break;
            }
            List<Object> rows = backend.redis().pipeline("list sessions", r -> members.stream()
                    .map(m -> r.hgetall(keys().session(tenant, SessionRef.fromIndex(tenant, user, m).id()).info())).toList());
            for (int i = 0; i < members.size() && items.size() <= limit; i++) {
                SessionRef ref = SessionRef.fromIndex(tenant, user, members.get(i));
                @SuppressWarnings("unchecked")
                Map<String, String> row = (Map<String, String>) rows.get(i);
                if (!ref.uid().equals(row.get(Codec.UID))) {
                    continue;
                }
                SessionInfo info = Codec.info(row);
                if (!info.isExpiredAt(now) && (user == null || info.user().equals(user))) {
                    items.add(info);
                }
            }
            upper = Range.Boundary.excluding(members.getLast());
            if (members.size() < batch) {
                break;
            }
        }
        if (items.size() <= limit) {
            return new Page<>(items, null);
        }
        List<SessionInfo> page = items.subList(0, limit);
        return new Page<>(page, ListCursor.after(page.getLast()).encode());
    }

    /**
     * Whether a tenant (or one user of it) has a live session: its index read newest first, in batches, until a
     * hint names the live incarnation of a session (expired sessions, usually the oldest, come last).
     */
    boolean hasLive(TenantId tenant, UserId user) {
        String key = user == null ? keys().sessionsOf(tenant) : keys().sessionsOf(tenant, user);
        Range.Boundary<String> upper = Range.Boundary.unbounded();
        Instant now = backend.now();
        while (true) {
            Range<String> range = Range.from(Range.Boundary.unbounded(), upper);
            List<String> members = backend.redis().call("read session index", r -> r.zrevrangebylex(key, range, Limit.create(0, BATCH)));
            List<SessionRef> refs = members.stream().map(m -> SessionRef.fromIndex(tenant, user, m)).toList();
            List<Object> rows = backend.redis().pipeline("check sessions", r -> refs.stream()
                    .map(ref -> r.hmget(keys().session(tenant, ref.id()).info(), Codec.UID, Codec.EXPIRES_AT, "user")).toList());
            for (int i = 0; i < refs.size(); i++) {
                @SuppressWarnings("unchecked")
                List<KeyValue<String, String>> row = (List<KeyValue<String, String>>) rows.get(i);
                if (refs.get(i).uid().equals(row.get(0).getValueOrElse(null)) && !Codec.expired(row.get(1).getValueOrElse(null), now)
                        && (user == null || user.value().equals(row.get(2).getValueOrElse(null)))) {
                    return true;
                }
            }
            if (members.size() < BATCH) {
                return false;
            }
            upper = Range.Boundary.excluding(members.getLast());
        }
    }

    /** Every hint in a tenant's (or user's) index, oldest first, read in batches. */
    List<SessionRef> all(TenantId tenant, UserId user) {
        String key = user == null ? keys().sessionsOf(tenant) : keys().sessionsOf(tenant, user);
        List<SessionRef> refs = new ArrayList<>();
        Range.Boundary<String> lower = Range.Boundary.unbounded();
        while (true) {
            Range<String> range = Range.from(lower, Range.Boundary.unbounded());
            List<String> members = backend.redis().call("read session index", r -> r.zrangebylex(key, range, Limit.create(0, BATCH)));
            members.forEach(m -> refs.add(SessionRef.fromIndex(tenant, user, m)));
            if (members.size() < BATCH) {
                return refs;
            }
            lower = Range.Boundary.excluding(members.getLast());
        }
    }

    /** The counters of a tenant's (or user's) live sessions, added up: one pipelined read per batch of sessions. */
    Map<String, Long> sumCounters(TenantId tenant, UserId user) {
        Map<String, Long> sum = new TreeMap<>();
        Instant now = backend.now();
        List<SessionRef> refs = all(tenant, user);
        for (int from = 0; from < refs.size(); from += BATCH) {
            List<SessionRef> batch = refs.subList(from, Math.min(refs.size(), from + BATCH));
            List<Object> replies = backend.redis().pipeline("add up counters", r -> batch.stream().<RedisFuture<?>>mapMulti((ref, out) -> {
                SessionKeys k = keys().session(tenant, ref.id());
                out.accept(r.hmget(k.info(), Codec.UID, Codec.EXPIRES_AT, "user"));
                out.accept(r.hgetall(k.counters()));
            }).toList());
            for (int i = 0; i < batch.size(); i++) {
                @SuppressWarnings("unchecked")
                List<KeyValue<String, String>> row = (List<KeyValue<String, String>>) replies.get(2 * i);
                boolean live = batch.get(i).uid().equals(row.get(0).getValueOrElse(null))
                        && !Codec.expired(row.get(1).getValueOrElse(null), now)
                        && (user == null || user.value().equals(row.get(2).getValueOrElse(null)));
                if (live) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> counters = (Map<String, String>) replies.get(2 * i + 1);
                    counters.forEach((name, value) -> sum.merge(name, Long.parseLong(value), Long::sum));
                }
            }
        }
        return sum;
    }
}
