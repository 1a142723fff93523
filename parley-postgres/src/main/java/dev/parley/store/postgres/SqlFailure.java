package dev.parley.store.postgres;

import java.sql.SQLException;

/**
 * Carries a {@link SQLException} through code that cannot declare it (the planner's
 * {@link dev.parley.store.WriteContext} lookups), so the transaction around it sees the database
 * error rather than mistaking it for a failed condition of one request.
 */
final class SqlFailure extends RuntimeException {
    SqlFailure(SQLException cause) {
        super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
