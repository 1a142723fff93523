package dev.parley.store.postgres;

import dev.parley.StoreException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs writes in transactions: each on its own, or, with group commit, many concurrent ones in one
 * transaction ({@link GroupCommitter}). A batch that the database refuses as a whole (a unique
 * violation, say) is run again one write per transaction, so only the write at fault fails. Nothing
 * is run again once COMMIT was sent: if COMMIT fails, the outcome is unknown and callers are told so.
 */
final class Writes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Writes.class);
    private static final int ATTEMPTS = 8;

    /**
     * Settings of every write transaction. Its statements only ever probe primary keys with arrays of keys, so
     * one plan fits every call: planned once per connection (a generic plan) instead of at each execution, which
     * cost a third of the database's CPU per append; and pinned to index probes and nested loops, so a plan made
     * while the tables were nearly empty cannot scan them whole once they are large. The connection keeps
     * {@code force_custom_plan} for everything else (decision 73): {@code SET LOCAL} ends with the transaction.
     */
    static final String WRITE_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off;"
            + " SET LOCAL enable_bitmapscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off";

    private final Db db;
    private final WriteBatch batch;
    private final GroupCommitter committer;

    /** {@code committers} threads share transactions among concurrent writes; 0 gives each write its own. */
    Writes(Db db, int committers) {
        this.db = db;
        this.batch = new WriteBatch(db);
        this.committer = committers == 0 ? null : new GroupCommitter(committers, this::execute);
    }

    WriteResult write(TenantId tenant, SessionId id, WriteRequest request) {
        PendingWrite w = new PendingWrite(tenant, id, request);
        if (committer == null) {
            execute(List.of(w));
            return w.await();
        }
        return committer.submit(w);
    }

    /** Runs {@code writes} in one transaction and completes every one of them; never throws. */
    void execute(List<PendingWrite> writes) {
        for (int attempt = 1; ; attempt++) {
            List<WriteBatch.Outcome> outcomes;
            try {
                outcomes = attempt(writes);
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
                    writes.forEach(w -> execute(List.of(w)));
                    return;
                }
                writes.forEach(w -> w.fail(db.failure(e, what(w))));
                return;
            } catch (RuntimeException e) {
                if (writes.size() > 1) {
                    writes.forEach(w -> execute(List.of(w)));
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

    /** One transaction: everything before COMMIT is rolled back on failure and may be retried; COMMIT itself may not. */
    private List<WriteBatch.Outcome> attempt(List<PendingWrite> writes) throws SQLException {
        Connection c = db.connection();
        try {
            c.setAutoCommit(false);
            List<WriteBatch.Outcome> outcomes;
            try {
                try (Statement settings = c.createStatement()) {
                    settings.execute(WRITE_PLANS);
                }
                outcomes = batch.run(c, writes);
            } catch (SqlFailure e) {
                Db.rollbackQuietly(c, e.getCause());
                throw e.getCause();
            } catch (SQLException | RuntimeException e) {
                Db.rollbackQuietly(c, e);
                throw e;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                throw new CommitUncertain(e);
            }
            return outcomes;
        } finally {
            close(c);
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("closing a connection after a write failed; the pool discards it", e);
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

    /** COMMIT was sent and failed: the transaction may have committed, so it must not run again. */
    private static final class CommitUncertain extends RuntimeException {
        CommitUncertain(SQLException cause) {
            super(cause);
        }
    }
}
