package dev.parley.store.postgres;

import dev.parley.ConflictException;
import dev.parley.ParleyException;
import dev.parley.StoreException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns PostgreSQL errors into Parley's: unique violations into conflicts, everything else into store failures. */
final class SqlErrors {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private SqlErrors() {
    }

    /** Whether running the whole transaction again can succeed (it lost a race the database resolved by aborting it). */
    static boolean retriable(SQLException e) {
        return SERIALIZATION_FAILURE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState());
    }

    /** Whether the connection, not the statement, failed: nothing more can be learnt on it. */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")));
    }

    static String constraint(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage message = p.getServerErrorMessage();
            return message == null ? null : message.getConstraint();
        }
        return null;
    }

    /**
     * The exception a caller sees for {@code e}, raised while doing {@code what} (e.g. "write to session s1").
     * A unique violation means the database refused a duplicate another transaction created first.
     */
    static ParleyException map(SQLException e, String what, String store) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            String constraint = String.valueOf(constraint(e));
            return switch (constraint) {
                case "vault_placeholder_key", "vault_lookup_key" -> new ConflictException(ConflictException.Reason.VAULT,
                        what + ": a placeholder or value of this write is already in the vault (" + constraint + ")");
                case "branches_pkey" -> new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                        what + ": the branch already exists (" + constraint + ")");
                case "checkpoints_pkey" -> new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                        what + ": the checkpoint already exists (" + constraint + ")");
                case "sessions_tenant_id_key" -> new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                        what + ": the session already exists");
                default -> new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                        what + ": a row already exists (" + constraint + ")");
            };
        }
        if (retriable(e)) {
            return new StoreException(what + " on " + store + " kept losing races with concurrent transactions ("
                    + e.getMessage() + "); nothing was changed, retry later", e);
        }
        if (connectionLost(e)) {
            return new StoreException(what + " failed: " + store + " is unreachable or refused the connection ("
                    + e.getMessage() + ")", e);
        }
        return new StoreException(what + " failed on " + store + ": " + e.getMessage(), e);
    }
}
