package dev.parley.store.postgres;

import dev.parley.NotFoundException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.IdempotencyRecord;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys claimed before a slow step (a chat turn's model call): a pending row that the
 * write completing the turn replaces, or that a failed turn releases. The primary key makes a key
 * claimable once per session; the claim takes the session's row lock, like a write, so a claim and
 * the write completing another claim of the same key can never interleave.
 */
final class IdempotencyClaims {
    private final Db db;

    IdempotencyClaims(Db db) {
        this.db = db;
    }

    /** Records a pending claim and returns empty, or returns the record already there, unchanged. */
    Optional<IdempotencyRecord> claimIdempotency(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        return db.tx("claim idempotency key '" + key + "' of session " + id, c -> {
            long pk;
            try (PreparedStatement ps = c.prepareStatement(db.sql(
                    "SELECT s.pk FROM $S.sessions s WHERE s.tenant = ? AND s.id = ? AND " + Rows.LIVE + " FOR NO KEY UPDATE"))) {
                ps.setString(1, tenant.value());
                ps.setString(2, id.value());
                Rows.setInstant(ps, 3, db.now());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("no session " + id);
                    }
                    pk = rs.getLong(1);
                }
            }
            // A release may delete the record between our insert and our read: then claim again.
            while (true) {
                try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO $S.idempotency (session_pk, key, request_hash,"
                        + " entries, at, pending) VALUES (?, ?, ?, '{}', ?, true) ON CONFLICT (session_pk, key) DO NOTHING"))) {
                    ps.setLong(1, pk);
                    ps.setString(2, key);
                    ps.setString(3, requestHash);
                    Rows.setInstant(ps, 4, at);
                    if (ps.executeUpdate() == 1) {
                        db.access().wrote(1);
                        return Optional.<IdempotencyRecord>empty();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT key, request_hash, entries, at, pending"
                        + " FROM $S.idempotency WHERE session_pk = ? AND key = ?"))) {
                    ps.setLong(1, pk);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            db.access().read(1);
                            return Optional.of(Rows.idempotency(rs));
                        }
                    }
                }
            }
        });
    }

    void releaseIdempotency(TenantId tenant, SessionId id, String key) {
        db.autocommit("release idempotency key '" + key + "' of session " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("DELETE FROM $S.idempotency i USING $S.sessions s"
                    + " WHERE s.pk = i.session_pk AND s.tenant = ? AND s.id = ? AND i.key = ? AND i.pending"))) {
                ps.setString(1, tenant.value());
                ps.setString(2, id.value());
                ps.setString(3, key);
                db.access().wrote(ps.executeUpdate());
            }
            return null;
        });
    }

}
