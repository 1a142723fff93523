package dev.parley.store.postgres;

import dev.parley.StoreException;
import dev.parley.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p><b>The gather window</b> (decision 97). Under load, the writers a batch completes need CPU to
 * come back with their next write, and a committer that started at once would take only the few
 * already back: small batches, each paying a transaction's fixed cost. So a committer that finds
 * fewer writes waiting than its last batch held, when that batch held at least {@value #GATHER_FROM},
 * waits up to the window for that many to arrive. A lone writer, or a few, never wait.
 *
 * <p>Each committer runs its batches through a {@link Lane} of its own, which may keep state between
 * batches (a connection, say) and is told when the committer's queue runs dry.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    static final int MAX_BATCH = 256;
    /** The smallest last batch that makes a committer wait for more: below it, writers are too few to wait for. */
    static final int GATHER_FROM = 4;
    private static final long IDLE_POLL_MILLIS = 50;

    private final List<LinkedBlockingQueue<PendingWrite>> queues = new ArrayList<>();
    private final long gatherNanos;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** Where one committer's batches run. */
    interface Lane {
        /** Runs one batch in one transaction and completes every write of it. */
        void run(List<PendingWrite> batch);

        /** No write has come for a while, or the committer stops: let go of what is held between batches. */
        default void idle() {
        }
    }

    /** {@code lanes} makes each committer thread its own lane; {@code gatherWindow} may be zero (never wait). */
    GroupCommitter(int committers, Duration gatherWindow, Supplier<Lane> lanes) {
        if (committers < 1) {
            throw new IllegalArgumentException("committers must be >= 1: " + committers);
        }
        if (gatherWindow.isNegative()) {
            throw new IllegalArgumentException("the gather window must not be negative: " + gatherWindow);
        }
        this.gatherNanos = gatherWindow.toNanos();
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
        int lastSize = 0;
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
            if (lastSize >= GATHER_FROM && batch.size() < lastSize) {
                gather(queue, batch, lastSize);
            }
            lastSize = batch.size();
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

    /** Adds writes arriving within the gather window to {@code batch}, until it holds {@code wanted}. */
    private void gather(LinkedBlockingQueue<PendingWrite> queue, List<PendingWrite> batch, int wanted) {
        long deadline = System.nanoTime() + gatherNanos;
        while (batch.size() < wanted && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            PendingWrite next;
            try {
                // In slices, so that closing the store is not kept waiting by a long window.
                next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            batch.add(next);
            queue.drainTo(batch, MAX_BATCH - batch.size());
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
