package dev.parley.store.sqlite;

import dev.parley.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes, committing in groups (DESIGN §8). It takes every waiting request, opens
 * one {@code BEGIN IMMEDIATE} transaction, runs each request in it (so it sees the requests before it in the
 * batch, and its failure undoes only its own changes), commits once, and only then answers the callers (through
 * a second thread, so the writer can start the next batch). A request that fails without having changed a row
 * (a conflict, a missing session: the planner refuses before anything is written) just fails; one that fails
 * part-way through its changes has the batch rolled back and run again with a SAVEPOINT per request, which undoes
 * that request's changes alone (decision 101).
 * Many concurrent appends thus share one fsync, and none is acknowledged before it is durable. A lone write that
 * finds the writer idle and nothing queued is committed the same way by its own caller, which saves two thread
 * wake-ups.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** Work for the writer; it runs inside the batch's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 1024;
    /** Batches this small are answered by the writer itself (see {@link #answer}). */
    private static final int ANSWERED_BY_WRITER = 2;

    private static final class Request<T> {
        final String what;
        final Work<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T value;
        Throwable failure;

        Request(String what, Work<T> work) {
            this.what = what;
            this.work = work;
        }

        void runWork() throws SQLException {
            value = work.run();
        }

        void answer() {
            if (failure == null) {
                done.complete(value);
            } else {
                done.completeExceptionally(failure);
            }
        }
    }

    private static final Request<Void> STOP = new Request<>("stop", () -> null);

    private final Path file;
    private final Statements sql;
    private final SessionCache cache;
    private final LinkedBlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private final Thread thread;
    /**
     * Answers callers after their batch committed. Waking a waiting thread is a system call; done by
     * the writer for every request it took a fifth of the writer's time, and the writer is the one
     * thread every write waits for.
     */
    private final ExecutorService answers;
    /**
     * Held by whoever runs a batch on the write connection: the writer thread, or a caller that found the writer idle
     * and nothing queued and so commits its lone write itself (see {@link #runAlone}).
     */
    private final ReentrantLock connection = new ReentrantLock();
    /** Set, under {@link #connection}, when the writer has run its last batch: no one may use the connection after. */
    private boolean stopped;
    /**
     * How many writes the last batch held. Only a caller following a lone write commits by itself: under load, when
     * the queue is empty only for a moment, a caller committing would hold one of the few carrier threads of the
     * virtual threads through its fsync, and the next batch is the writer's anyway.
     */
    private volatile int lastBatch;
    private boolean closed;

    GroupCommitWriter(Path file, Statements sql, SessionCache cache) {
        this.file = file;
        this.sql = sql;
        this.cache = cache;
        this.answers = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("parley-sqlite-answers " + file.getFileName()).daemon().factory());
        this.thread = Thread.ofPlatform().name("parley-sqlite-writer " + file.getFileName()).daemon().unstarted(this::loop);
        thread.start();
    }

    /**
     * Runs {@code work} in the next batch and returns its result once the batch has committed.
     * Exceptions thrown by the work reach the caller unchanged; database failures arrive as a
     * {@link StoreException} naming the file.
     */
    <T> T submit(String what, Work<T> work) {
        Request<T> request = new Request<>(what, work);
        if (!runAlone(request)) {
            synchronized (lifecycle) {
                if (closed) {
                    throw new IllegalStateException("the SQLite store " + file + " is closed");
                }
                queue.add(request);
            }
        }
        try {
            return request.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new StoreException("writing " + file + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Commits {@code request} as a batch of its own on the calling thread, if the writer is idle, nothing is queued and
     * the last batch was a lone write too: a lone write (a chat turn, a quiet server) then costs no hand-off to the
     * writer thread and back, each a thread to wake. Returns false, having done nothing, otherwise; under load that is
     * nearly always, and the write joins the next batch as before.
     */
    private boolean runAlone(Request<?> request) {
        if (lastBatch > 1 || !queue.isEmpty() || !connection.tryLock()) {
            return false;
        }
        try {
            synchronized (lifecycle) {
                if (closed || stopped) {
                    return false;
                }
            }
            runBatch(List.of(request));
            return true;
        } finally {
            connection.unlock();
        }
    }

    /** Answers every request already submitted, then stops the thread. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // Closing must not leave the writer running over a connection about to be closed;
                // the interrupt is restored once it has stopped.
                interrupted = true;
            }
        }
        answers.shutdown();
        while (!answers.isTerminated()) {
            try {
                answers.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                // Every caller is answered before close returns; the interrupt is restored after.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Request<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.add(next());
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(STOP);
            connection.lock();
            try {
                if (!batch.isEmpty()) {
                    runBatch(batch);
                }
                stopped = stopping;
            } finally {
                connection.unlock();
            }
            batch.clear();
        }
    }

    /** The next request; waits for one. Only {@link #close()} stops the writer, never an interrupt. */
    private Request<?> next() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Deliberately ignored: stopping here would abandon callers waiting for their writes.
                // The writer stops only through close(), after answering every request.
                continue;
            }
        }
    }

    private void runBatch(List<Request<?>> batch) {
        lastBatch = batch.size();
        if (!begin(batch)) {
            return;
        }
        for (Request<?> request : batch) {
            if (!runUnguarded(request)) {
                runGuarded(batch, request);
                return;
            }
        }
        commit(batch);
    }

    /**
     * Runs the batch again after one of its requests failed part-way through its changes: rolled back, then each
     * request in a savepoint of its own, so that request's changes are undone and the others' kept. Rare (a write
     * failing in SQLite, not in the planner), so the requests before it paying for a second run does not matter.
     */
    private void runGuarded(List<Request<?>> batch, Request<?> failed) {
        // If the transaction is still open after a failed ROLLBACK, the BEGIN below fails and says so.
        rollBack(failed.failure);
        for (Request<?> request : batch) {
            request.value = null;
            request.failure = null;
        }
        if (!begin(batch)) {
            return;
        }
        for (Request<?> request : batch) {
            if (!runInSavepoint(request)) {
                abort(batch, new StoreException("the batch holding '" + request.what + "' on " + file
                        + " was rolled back: " + request.failure.getMessage(), request.failure));
                return;
            }
        }
        commit(batch);
    }

    /** Opens the batch's transaction; false, with every request failed, if it could not. */
    private boolean begin(List<Request<?>> batch) {
        try {
            sql.run("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            StoreException failure = SqliteErrors.translate(file, "starting a transaction", e);
            forgetStatements(failure);
            failAll(batch, failure);
            return false;
        }
        try {
            cache.batchStarted(dataVersion());
        } catch (SQLException e) {
            abort(batch, SqliteErrors.translate(file, "reading the data version", e));
            return false;
        }
        return true;
    }

    private void commit(List<Request<?>> batch) {
        try {
            sql.run("COMMIT");
        } catch (SQLException e) {
            abort(batch, SqliteErrors.translate(file, "committing", e));
            return;
        }
        try {
            // Before anyone is answered: a caller's next read must find its own write.
            cache.batchCommitted();
        } catch (RuntimeException e) {
            // The writes are committed and are answered as such; only the reads' shortcut is lost.
            cache.batchFailed();
            LOG.error("publishing a committed batch to the read view of {} failed; its reads go to the file", file, e);
        }
        answer(batch);
    }

    private void answer(List<Request<?>> batch) {
        if (batch.size() <= ANSWERED_BY_WRITER) {
            // One wake-up costs the writer less than handing it to the answering thread, whose own wake-up the
            // caller would wait for too: a lone write (a chat turn, a quiet server) is answered a hop sooner.
            batch.forEach(Request::answer);
            return;
        }
        List<Request<?>> answered = List.copyOf(batch);
        answers.execute(() -> answered.forEach(Request::answer));
    }

    private long dataVersion() throws SQLException {
        try (ResultSet rs = sql.get("PRAGMA data_version").executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How running a request's work ended. */
    private enum Outcome {
        DONE,
        /** The planner or the work's own code refused it: the statements it ran are sound. */
        REFUSED,
        /** SQLite failed under it: its statements are forgotten, the transaction may be gone. */
        DATABASE_FAILED
    }

    /** Runs {@code steps} for {@code request}; a failure is recorded as the request's, never thrown. */
    private Outcome attempt(Request<?> request, Work<?> steps) {
        try {
            steps.run();
            return Outcome.DONE;
        } catch (SQLException e) {
            request.failure = SqliteErrors.translate(file, request.what, e);
        } catch (TxnContext.Failure e) {
            request.failure = SqliteErrors.translate(file, request.what, e.getCause());
        } catch (RuntimeException | Error e) {
            request.failure = e;
            return Outcome.REFUSED;
        }
        forgetStatements(request.failure);
        return Outcome.DATABASE_FAILED;
    }

    /**
     * Runs one request without a savepoint: two statements fewer for each request (an append ran seven).
     * Returns true if it succeeded, or was refused without having changed a row (SQLite's count of changed rows says
     * so): then there is nothing to undo. Returns false if it was refused after changing rows, or failed in SQLite
     * (which may have rolled the whole transaction back); only a savepoint can then undo its changes alone.
     */
    private boolean runUnguarded(Request<?> request) {
        cache.requestStarted();
        long changesBefore;
        try {
            changesBefore = sql.totalChanges();
        } catch (SQLException e) {
            request.failure = SqliteErrors.translate(file, request.what, e);
            return false;
        }
        Outcome outcome = attempt(request, () -> {
            request.runWork();
            return null;
        });
        if (outcome != Outcome.REFUSED) {
            return outcome == Outcome.DONE;
        }
        try {
            if (sql.totalChanges() != changesBefore) {
                return false;
            }
        } catch (SQLException e) {
            request.failure.addSuppressed(e);
            return false;
        }
        cache.requestRolledBack();
        return true;
    }

    /**
     * Runs one request in its own savepoint. Returns false if the transaction itself is gone (SQLite
     * rolls back the whole transaction on some errors, such as a full disk), in which case the
     * requests before it in the batch are lost too.
     */
    private boolean runInSavepoint(Request<?> request) {
        cache.requestStarted();
        Outcome outcome = attempt(request, () -> {
            sql.run("SAVEPOINT request");
            request.runWork();
            sql.run("RELEASE request");
            return null;
        });
        if (outcome == Outcome.DONE) {
            return true;
        }
        cache.requestRolledBack();
        try {
            sql.run("ROLLBACK TO request");
            sql.run("RELEASE request");
            return true;
        } catch (SQLException e) {
            request.failure.addSuppressed(e);
            return false;
        }
    }

    /** Rolls the batch back: a request that failed on its own keeps its error; every other gets {@code cause}. */
    private void abort(List<Request<?>> batch, StoreException cause) {
        rollBack(cause);
        for (Request<?> request : batch) {
            if (request.failure == null) {
                request.failure = cause;
            }
        }
        answer(batch);
    }

    /**
     * Rolls the open transaction back and forgets what the cache learnt in it. A ROLLBACK that fails (SQLite may have
     * rolled the transaction back itself) is added to {@code failure}.
     */
    private void rollBack(Throwable failure) {
        cache.batchFailed();
        forgetStatements(failure);
        try {
            sql.run("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** After a failure, compiles every statement afresh: the driver finalizes one whose execution failed. */
    private void forgetStatements(Throwable failure) {
        try {
            sql.forgetStatements();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void failAll(List<Request<?>> batch, StoreException cause) {
        for (Request<?> request : batch) {
            request.failure = cause;
        }
        answer(batch);
    }
}
