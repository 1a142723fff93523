package dev.parley.store.redis;

import dev.parley.NotFoundException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.IdempotencyRecord;
import io.lettuce.core.ScriptOutputType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Idempotency keys claimed before a slow step (a model call) and released when it fails. */
final class Claims {
    private final Backend backend;
    private final Index index;

    Claims(Backend backend, Index index) {
        this.backend = backend;
        this.index = index;
    }

    Optional<IdempotencyRecord> claim(TenantId tenant, SessionId id, String key, String requestHash, Instant at) {
        SessionKeys keys = backend.keys().session(tenant, id);
        Instant now = backend.now();
        SessionRow row = SessionRow.read(backend, keys, id);
        if (!row.liveAt(now)) {
            throw new NotFoundException("no session " + id);
        }
        IdempotencyRecord pending = new IdempotencyRecord(key, requestHash, List.of(), at, true);
        List<Object> reply = backend.redis().run(Script.CLAIM, ScriptOutputType.MULTI, "claim idempotency key " + key,
                new String[]{keys.info(), keys.idempotency(), keys.idempotencyTimes()}, row.uid(), key,
                Codec.idempotency(pending), Long.toString(at.toEpochMilli()),
                Long.toString(now.minus(IdempotencyRecord.RETENTION).toEpochMilli()));
        return switch ((String) reply.getFirst()) {
            case "held" -> Optional.of(Codec.idempotency((String) reply.get(1)));
            case "claimed" -> {
                index.idempotency(row.ref(tenant, id), at);
                yield Optional.empty();
            }
            default -> throw new NotFoundException("no session " + id);
        };
    }

    void release(TenantId tenant, SessionId id, String key) {
        SessionKeys keys = backend.keys().session(tenant, id);
        backend.redis().run(Script.RELEASE, ScriptOutputType.INTEGER, "release idempotency key " + key,
                new String[]{keys.idempotency(), keys.idempotencyTimes()}, key);
    }
}
