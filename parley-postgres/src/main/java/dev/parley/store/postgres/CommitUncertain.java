package dev.parley.store.postgres;

import java.sql.SQLException;

/** COMMIT may have been applied and failed or went unanswered: the outcome is unknown, so the transaction must not run again. */
final class CommitUncertain extends RuntimeException {
    CommitUncertain(SQLException cause) {
        super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
