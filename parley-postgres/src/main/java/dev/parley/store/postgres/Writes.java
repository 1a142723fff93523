package dev.parley.store.postgres;

import dev.parley.StoreException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Runs writes in transactions: each on its own, or, with group commit, many concurrent ones in one
 * transaction ({@link GroupCommitter}), each committer on a connection it keeps while writes keep
 * coming ({@link WriteConnection}). A transaction takes two round trips: one statement locks and
 * reads, and one writes everything and, in the same message, commits (decision 96). A batch that the
 * database refuses as a whole (a unique violation, say) is run again one write per transaction, so
 * only the write at fault fails. Nothing is run again once COMMIT may have been applied: then the
 * outcome is unknown and callers are told so.
 */
final class Writes implements AutoCloseable {
    private static final int ATTEMPTS = 8;

    private final Db db;
    private final WriteBatch batch;
    private final GroupCommitter committer;

    /**
     * {@code committers} threads share transactions among concurrent writes, waiting up to {@code gatherWindow}
     * for a batch to fill under load; 0 committers gives each write its own transaction.
     */
    Writes(Db db, int committers, Duration gatherWindow) {
        this.db = db;
        this.batch = new WriteBatch(db);
        this.committer = committers == 0 ? null : new GroupCommitter(committers, gatherWindow, () -> new GroupCommitter.Lane() {
            private final WriteConnection connection = new WriteConnection(db);

            @Override
            public void run(List<PendingWrite> writes) {
                execute(connection, writes);
            }

            @Override
            public void idle() {
                connection.release();
            }
        });
    }

    WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        PendingWrite w = new PendingWrite(tenant, id, request);
        if (committer == null) {
            execute(List.of(w));
            return w.await();
        }
        return committer.submit(w);
    }

    /** Runs {@code writes} in one transaction on a connection of their own and completes every one of them; never throws. */
    void execute(List<PendingWrite> writes) {
        try (WriteConnection connection = new WriteConnection(db)) {
            execute(connection, writes);
        }
    }

    private void execute(WriteConnection connection, List<PendingWrite> writes) {
        for (int attempt = 1; ; attempt++) {
            List<WriteBatch.Outcome> outcomes;
            try {
                outcomes = attempt(connection, writes);
            } catch (CommitUncertain e) {
                writes.forEach(w -> w.fail(new StoreException(what(w) + ": COMMIT failed on " + db.describe()
                        + ", so the write may or may not have been applied (" + e.getCause().getMessage() + ")", e.getCause())));
                return;
            } catch (SQLException e) {
                if (SqlErrors.retriable(e) && attempt < ATTEMPTS) {
                    Db.backOff(attempt);
                    continue;
                }
                if (writes.size() > 1 && !SqlErrors.connectionLost(e)) {
                    writes.forEach(w -> execute(connection, List.of(w)));
                    return;
                }
                writes.forEach(w -> w.fail(db.failure(e, what(w))));
                return;
            } catch (RuntimeException e) {
                if (writes.size() > 1) {
                    writes.forEach(w -> execute(connection, List.of(w)));
                    return;
                }
                writes.getFirst().fail(e);
                return;
            }
            for (int i = 0; i < writes.size(); i++) {
                WriteBatch.Outcome outcome = outcomes.get(i);
                if (outcome.failure() == null) {
                    writes.get(i).succeed(outcome.result());
                } else {
                    writes.get(i).fail(outcome.failure());
                }
            }
            return;
        }
    }

    /**
     * One transaction. A failure the database reports while the transaction is still open (so COMMIT was
     * not reached) is rolled back and may be retried; once COMMIT may have run, nothing may be.
     */
    private List<WriteBatch.Outcome> attempt(WriteConnection connection, List<PendingWrite> writes) throws SQLException {
        Connection c = connection.get();
        WriteBatch.Result result;
        try {
            result = batch.run(c, writes);
        } catch (SqlFailure e) {
            rollback(connection, c, e.getCause());
            throw e.getCause();
        } catch (CommitUncertain e) {
            connection.discard();
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollback(connection, c, e);
            throw e;
        }
        if (!result.committed()) {
            try {
                c.commit();
            } catch (SQLException e) {
                connection.discard();
                throw new CommitUncertain(e);
            }
        }
        return result.outcomes();
    }

    /** Rolls back after {@code cause}; a connection that was lost or cannot roll back is not kept. */
    private static void rollback(WriteConnection connection, Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            connection.discard();
            return;
        }
        if (cause instanceof SQLException e && SqlErrors.connectionLost(e)) {
            connection.discard();
        }
    }

    private static String what(PendingWrite w) {
        return "write to session " + w.id;
    }

    @Override
    public void close() {
        if (committer != null) {
            committer.close();
        }
    }
}
