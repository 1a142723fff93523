package dev.parley.store.redis;

import dev.parley.ConflictException;
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
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.NewSession;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Creating, importing, writing and redacting sessions. A write is planned in Java by
 * {@link WritePlanner} (the one source of the semantics) over what {@link Planning} read, then applied
 * by one Lua script that lands only if the session is still the incarnation and version planned
 * against; otherwise it is planned again, with a jittered backoff. Writes to one session from one
 * process take turns on a striped lock, so retries only happen between processes.
 *
 * <p>Under its lock a stripe also remembers how this process's last write left each of its recent
 * sessions, so the next write usually plans without reading the row again: one round trip instead of
 * two. That memory is only a guess that the version check confirms; when it fails, or the planner
 * objects to what it saw, the write is planned again from a fresh read.
 */
final class Writes {
    /** Attempts of a write whose session keeps changing under it (other processes writing) before it gives up. */
    static final int MAX_ATTEMPTS = 100;
    private static final int STRIPES = 256;
    /** Sessions each stripe remembers; beyond that the least recently written is forgotten. */
    private static final int KNOWN_PER_STRIPE = 64;

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}. */
        final Map<String, Planning.Known> known = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Planning.Known> eldest) {
                return size() > KNOWN_PER_STRIPE;
            }
        };
    }

    private final Backend backend;
    private final Index index;
    private final Directory directory;
    private final Stripe[] stripes = new Stripe[STRIPES];

    Writes(Backend backend, Index index, Directory directory) {
        this.backend = backend;
        this.index = index;
        this.directory = directory;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    private Stripe stripeOf(SessionKeys keys) {
        return stripes[Math.floorMod(keys.base().hashCode(), STRIPES)];
    }

    SessionSnapshot create(NewSession spec) {
        WritePlan plan = WritePlanner.planCreate(spec);
        insert(plan.info(), m -> m.entries(plan.entries()).branches(plan.branches().values()));
        backend.access().wrote(plan.entries().size() + 1);
        return new SessionSnapshot(plan.info(), plan.branches());
    }

    void importSession(SessionImage image) {
        insert(image.info(), m -> m.entries(image.entries()).branches(image.branches()).checkpoints(image.checkpoints())
                .vault(image.vault()).counters(image.counters()));
        backend.access().wrote(image.entries().size() + 1);
    }

    /**
     * Writes a new session in one script. Its index hints go first, then its user's and tenant's directory
     * hints, so a listing never misses it; if the id is taken the index hints are taken back. An expired
     * session with the same id is replaced.
     */
    private void insert(SessionInfo info, UnaryOperator<Mutation> content) {
        SessionKeys keys = backend.keys().session(info.tenant(), info.id());
        Stripe stripe = stripeOf(keys);
        stripe.lock.lock();
        try {
            stripe.known.remove(keys.base());
            SessionRow row = SessionRow.read(backend, keys, info.id());
            String existing = row.uid();
            SessionRef replaced = null;
            if (row.exists()) {
                if (row.liveAt(backend.now())) {
                    throw alreadyExists(info.id());
                }
                replaced = row.ref(info.tenant(), info.id());
            }
            SessionRef ref = new SessionRef(info.tenant(), info.id(), info.user(), SessionRef.newUid(), info.createdAt());
            index.add(ref, info.expiresAt());
            // After the session hints: the user and tenant hints then stay while those do (see Directory).
            directory.touch(info.tenant(), info.user());
            Mutation mutation = content.apply(Mutation.create(ref.uid(), existing).ttl(backend.ttlMillis(info.expiresAt())).info(info));
            switch (mutation.apply(backend, keys, "create session " + info.id())) {
                case OK -> {
                    if (replaced != null) {
                        index.remove(replaced);
                    }
                    if (info.expiresAt() == null) {
                        index.expiry(ref, null);
                    }
                }
                case VAULT -> {
                    index.remove(ref);
                    throw new ConflictException(ConflictException.Reason.VAULT,
                            "the vault rows of session " + info.id() + " are not unique");
                }
                default -> {
                    index.remove(ref);
                    throw alreadyExists(info.id());
                }
            }
        } finally {
            stripe.lock.unlock();
        }
    }

    private static ConflictException alreadyExists(SessionId id) {
        return new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + id + " already exists");
    }

    WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        SessionKeys keys = backend.keys().session(tenant, id);
        Stripe stripe = stripeOf(keys);
        stripe.lock.lock();
        try {
            Planning.Known known = stripe.known.remove(keys.base());
            for (int attempt = 1; ; attempt++) {
                boolean guessed = known != null && !known.snapshot().info().isExpiredAt(backend.now());
                Planning planning = guessed ? Planning.of(backend, keys, known) : Planning.read(backend, keys, request, null)
                        .orElseThrow(() -> new NotFoundException("no session " + id));
                known = null;
                WritePlan plan;
                try {
                    plan = WritePlanner.plan(planning, request);
                } catch (RuntimeException e) {
                    // The planner judged a remembered view, which another process may have changed (a branch
                    // created, a version moved on): only what a fresh read shows may fail the write.
                    if (guessed) {
                        continue;
                    }
                    throw e;
                }
                if (plan.replay()) {
                    return plan.result();
                }
                switch (mutationOf(planning, plan, request).apply(backend, keys, "write to session " + id)) {
                    case OK -> {
                        stripe.known.put(keys.base(), planning.after(plan));
                        backend.access().wrote(plan.entries().size() + 1);
                        afterWrite(planning, plan.info(), plan.idempotency());
                        return plan.result();
                    }
                    case VAULT -> throw new ConflictException(ConflictException.Reason.VAULT,
                            "a placeholder or value of this write was issued meanwhile in session " + id);
                    default -> {
                        if (!guessed) {
                            backoff(attempt, id);
                        }
                    }
                }
            }
        } finally {
            stripe.lock.unlock();
        }
    }

    private Mutation mutationOf(Planning planning, WritePlan plan, WriteRequest request) {
        List<Checkpoint> deleted = new ArrayList<>();
        plan.deletedCheckpoints().forEach(name -> planning.stored(name).ifPresent(deleted::add));
        Mutation mutation = Mutation.update(planning.uid(), planning.snapshot().info().version())
                .ttl(backend.ttlMillis(plan.info().expiresAt())).info(plan.info()).entries(plan.entries())
                .branches(plan.branches().values()).deletedBranches(plan.deletedBranches()).deletedCheckpoints(deleted)
                .checkpoints(plan.checkpoints()).vault(plan.vaultRows()).counters(plan.counters());
        if (request.idempotency() != null) {
            String key = request.idempotency().key();
            mutation.idempotency(key, planning.idempotencyRaw(key), plan.idempotency(),
                    backend.now().minus(IdempotencyRecord.RETENTION));
        }
        return mutation;
    }

    Entry redact(TenantId tenant, SessionId id, EntryId entryId, Payload.Redacted tombstone, Instant at) {
        SessionKeys keys = backend.keys().session(tenant, id);
        Stripe stripe = stripeOf(keys);
        stripe.lock.lock();
        try {
            stripe.known.remove(keys.base());
            for (int attempt = 1; ; attempt++) {
                Planning planning = Planning.read(backend, keys, null, entryId)
                        .orElseThrow(() -> new NotFoundException("no session " + id));
                Entry entry = planning.loaded(entryId)
                        .orElseThrow(() -> new NotFoundException("no entry " + entryId + " in session " + id));
                if (entry.kind() != EntryKind.MESSAGE) {
                    throw new InvalidInputException("entry id", "entry " + entryId + " is a " + entry.kind()
                            + " entry; only messages can be redacted");
                }
                Entry redacted = entry.withPayload(tombstone);
                SessionInfo next = planning.snapshot().info().touched(at);
                Mutation mutation = Mutation.update(planning.uid(), planning.snapshot().info().version())
                        .ttl(backend.ttlMillis(next.expiresAt())).info(next).entries(List.of(redacted));
                if (mutation.apply(backend, keys, "redact entry " + entryId + " of session " + id) == Mutation.Outcome.OK) {
                    backend.access().wrote(1);
                    afterWrite(planning, next, null);
                    return redacted;
                }
                backoff(attempt, id);
            }
        } finally {
            stripe.lock.unlock();
        }
    }

    /**
     * Updates the cross-slot hints a write affects. An expiry pushed later (idle TTL) needs nothing: the
     * sweeper finds the session at its old time, sees it alive and looks again later. An expiry that
     * appeared or moved earlier must be noted now, or the sweeper would come too late.
     */
    private void afterWrite(Planning planning, SessionInfo after, IdempotencyRecord record) {
        SessionInfo before = planning.snapshot().info();
        SessionRef ref = new SessionRef(after.tenant(), after.id(), after.user(), planning.uid(), after.createdAt());
        if (after.expiresAt() != null && (before.expiresAt() == null || after.expiresAt().isBefore(before.expiresAt()))) {
            index.expiry(ref, after.expiresAt());
        }
        if (record != null) {
            index.idempotency(ref, record.at());
        }
    }

    private static void backoff(int attempt, SessionId id) {
        if (attempt >= MAX_ATTEMPTS) {
            throw new ConflictException(ConflictException.Reason.VERSION, "session " + id + " changed " + attempt
                    + " times while this write was being planned; try again");
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a write to session " + id, e);
        }
    }
}
