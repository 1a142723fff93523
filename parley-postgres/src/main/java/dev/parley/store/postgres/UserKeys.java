package dev.parley.store.postgres;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** Users' wrapped key-encryption keys: stored once, never replaced (erasing the user deletes it). */
final class UserKeys {
    private final Db db;

    UserKeys(Db db) {
        this.db = db;
    }

    Optional<String> userKey(TenantId tenant, UserId user) {
        return db.autocommit("read the key of user " + user, c -> readKey(c, tenant, user));
    }

    private Optional<String> readKey(Connection c, TenantId tenant, UserId user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql(
                "SELECT wrapped_key FROM $S.user_keys WHERE tenant = ? AND user_id = ?"))) {
            ps.setString(1, tenant.value());
            ps.setString(2, user.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                db.access().read(1);
                return Optional.of(rs.getString(1));
            }
        }
    }

    /** Insert-if-absent, then read what is stored: the key a concurrent caller stored first wins for everyone. */
    String userKeyIfAbsent(TenantId tenant, UserId user, String wrappedKey) {
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        return db.autocommit("store the key of user " + user, c -> {
            while (true) {
                try (PreparedStatement ps = c.prepareStatement(db.sql("INSERT INTO $S.user_keys (tenant, user_id, wrapped_key)"
                        + " VALUES (?, ?, ?) ON CONFLICT (tenant, user_id) DO NOTHING"))) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, user.value());
                    ps.setString(3, wrappedKey);
                    if (ps.executeUpdate() == 1) {
                        db.access().wrote(1);
                        return wrappedKey;
                    }
                }
                // An erase may delete the key between the insert and this read: then insert again.
                Optional<String> stored = readKey(c, tenant, user);
                if (stored.isPresent()) {
                    return stored.get();
                }
            }
        });
    }
}
