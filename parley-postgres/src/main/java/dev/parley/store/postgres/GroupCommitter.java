package dev.parley.store.postgres;

import dev.parley.StoreException;
import dev.parley.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Group commit (DESIGN §8): callers queue their writes and wait; a committer thread takes every write
 * waiting in its queue, runs them in one transaction and only then completes them; while it waits
 * for its COMMIT to reach the disk, the next writes gather. So the cost of a durable commit is shared
 * by the whole group, and durability is not traded away: a write is acknowledged only after the
 * transaction holding it committed.
 *
 * <p>Each session belongs to one committer (by hash), so writes to one session always meet in the
 * same batches: two committers never queue behind each other's row lock on a busy session, and
 * several committers still keep several commits in flight for different sessions.
 *
 * <p>Each committer runs its batches through a {@link Lane} of its own, which may keep state between
 * batches (a connection, say) and is told when the committer's queue runs dry.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    static final int MAX_BATCH = 256;
    private static final long IDLE_POLL_MILLIS = 50;

    private final List<LinkedBlockingQueue<PendingWrite>> queues = new ArrayList<>();
    /** Where one committer's batches run. */
    interface Lane {
        /** Runs one batch in one transaction and completes every write of it. */
        void run(List<PendingWrite> batch);

        /** No write has come for a while, or the committer stops: let go of what is held between batches. */
        default void idle() {
        }
    }

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** {@code executor} runs one batch in one transaction and completes every write of it. */
    GroupCommitter(int committers, Consumer<List<PendingWrite>> executor) {
        this(committers, () -> executor::accept);
    }

    /** {@code lanes} makes each committer thread its own lane. */
    GroupCommitter(int committers, Supplier<Lane> lanes) {
        if (committers < 1) {
            throw new IllegalArgumentException("committers must be >= 1: " + committers);
        }
        for (int i = 0; i < committers; i++) {
            LinkedBlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            Lane lane = lanes.get();
            Thread t = Thread.ofPlatform().daemon().name("parley-postgres-commit-" + i).unstarted(() -> run(queue, lane));
            threads.add(t);
            t.start();
        }
    }

    WriteResult submit(PendingWrite write) {
        if (closed) {
            throw closedError();
        }
        LinkedBlockingQueue<PendingWrite> queue = queues.get(Math.floorMod(Objects.hash(write.tenant, write.id), queues.size()));
        queue.add(write);
        // close() may have finished draining between the check above and the add: take the write back.
        if (closed && queue.remove(write)) {
            throw closedError();
        }
        return write.await();
    }

    /** Writes waiting for a committer. */
    int queued() {
        return queues.stream().mapToInt(LinkedBlockingQueue::size).sum();
    }

    private void run(LinkedBlockingQueue<PendingWrite> queue, Lane lane) {
        List<PendingWrite> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            PendingWrite first;
            try {
                first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                LOG.warn("a Parley committer thread was interrupted; it keeps serving writes until the store is closed");
                continue;
            }
            if (first == null) {
                idle(lane);
                if (closed) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                lane.run(batch);
            } catch (RuntimeException e) {
                LOG.error("a batch of {} writes failed unexpectedly", batch.size(), e);
                for (PendingWrite w : batch) {
                    w.fail(new StoreException("the write failed unexpectedly: " + e, e));
                }
            }
            batch.clear();
        }
    }

    private static void idle(Lane lane) {
        try {
            lane.idle();
        } catch (RuntimeException e) {
            LOG.warn("a Parley committer could not let go of what it held between batches", e);
        }
    }

    private static StoreException closedError() {
        return new StoreException("the PostgreSQL store is closed");
    }

    /** Stops taking writes, lets the committers finish every write already queued, and waits for them. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (LinkedBlockingQueue<PendingWrite> queue : queues) {
            PendingWrite left;
            while ((left = queue.poll()) != null) {
                left.fail(closedError());
            }
        }
    }
}
