package dev.parley.store.postgres;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.IdCursor;
import dev.parley.store.ListCursor;
import dev.parley.store.Page;
import dev.parley.store.UserKeyRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Users' wrapped key-encryption keys: stored once; afterwards only re-wrapped by a compare-and-set (a master-key
 * rotation), and deleted when the user is erased.
 */
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

    Page<UserKeyRecord> userKeys(TenantId tenant, String cursor, int limit) {
        ListCursor.requireLimit(limit);
        UserId after = IdCursor.userAfter(cursor);
        List<UserKeyRecord> fetched = db.autocommit("list the user keys of tenant " + tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("SELECT user_id, wrapped_key FROM $S.user_keys"
                    + " WHERE tenant = ? AND user_id > ? ORDER BY user_id LIMIT ?"))) {
                ps.setString(1, tenant.value());
                ps.setString(2, after == null ? "" : after.value());
                ps.setInt(3, limit + 1);
                List<UserKeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new UserKeyRecord(UserId.of(rs.getString(1)), rs.getString(2)));
                    }
                }
                db.access().read(out.size());
                return out;
            }
        });
        return IdCursor.page(fetched, limit, r -> IdCursor.after(r.user()));
    }

    /** One conditional UPDATE: a row erased meanwhile matches nothing, so it is never written back. */
    boolean replaceUserKey(TenantId tenant, UserId user, String expectedWrapped, String newWrapped) {
        Objects.requireNonNull(expectedWrapped, "expectedWrapped");
        Objects.requireNonNull(newWrapped, "newWrapped");
        return db.autocommit("replace the key of user " + user, c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("UPDATE $S.user_keys SET wrapped_key = ?"
                    + " WHERE tenant = ? AND user_id = ? AND wrapped_key = ?"))) {
                ps.setString(1, newWrapped);
                ps.setString(2, tenant.value());
                ps.setString(3, user.value());
                ps.setString(4, expectedWrapped);
                int rows = ps.executeUpdate();
                db.access().wrote(rows);
                return rows == 1;
            }
        });
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
