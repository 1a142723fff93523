package dev.parley.store.redis;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import io.lettuce.core.KeyValue;

import java.time.Instant;
import java.util.List;

/**
 * The few fields of a session row that say which incarnation it is and when it expires, read without
 * the rest; every field is null when the session does not exist.
 */
record SessionRow(String uid, String expiresAt, String user, String createdAt) {

    static SessionRow read(Backend backend, SessionKeys keys, SessionId id) {
        List<KeyValue<String, String>> values = backend.redis().call("read session " + id,
                r -> r.hmget(keys.info(), Codec.UID, Codec.EXPIRES_AT, "user", "createdAt"));
        return new SessionRow(values.get(0).getValueOrElse(null), values.get(1).getValueOrElse(null),
                values.get(2).getValueOrElse(null), values.get(3).getValueOrElse(null));
    }

    boolean exists() {
        return uid != null;
    }

    boolean liveAt(Instant now) {
        return exists() && !Codec.expired(expiresAt, now);
    }

    SessionRef ref(TenantId tenant, SessionId id) {
        return new SessionRef(tenant, id, UserId.of(user), uid, Instant.parse(createdAt));
    }
}
