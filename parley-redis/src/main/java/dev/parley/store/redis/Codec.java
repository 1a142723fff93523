package dev.parley.store.redis;

import dev.parley.StoreException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.VaultRow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored forms of sessions, branches, entries, checkpoints, vault rows and idempotency records.
 * Session rows are hashes of readable fields ({@code redis-cli HGETALL} shows them); the rest are JSON.
 * A value that does not decode is reported as a {@link StoreException}: the data in Redis is damaged.
 */
final class Codec {
    static final String UID = "uid";
    static final String VERSION = "version";
    static final String EXPIRES_AT = "expiresAt";

    private Codec() {
    }

    /** The session row as hash fields; an empty value means "no value" (the write script removes the field). */
    static Map<String, String> infoFields(SessionInfo info, String uid) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(UID, uid);
        f.put("tenant", info.tenant().value());
        f.put("id", info.id().value());
        f.put("user", info.user().value());
        f.put("createdAt", info.createdAt().toString());
        f.put("updatedAt", info.updatedAt().toString());
        f.put(EXPIRES_AT, text(info.expiresAt()));
        f.put("absoluteExpiresAt", text(info.absoluteExpiresAt()));
        f.put("idleTtl", info.idleTtl() == null ? "" : info.idleTtl().toString());
        f.put("metadata", ParleyJson.stringMapText(info.metadata()));
        f.put(VERSION, Long.toString(info.version()));
        f.put("lastSeq", Long.toString(info.lastSeq()));
        f.put("currentBranch", info.currentBranch());
        f.put("initialHead", info.initialHead() == null ? "" : Long.toString(info.initialHead().value()));
        f.put("settings", ParleyJson.stringMapText(info.settings()));
        return f;
    }

    static SessionInfo info(Map<String, String> f) {
        try {
            return new SessionInfo(TenantId.of(f.get("tenant")), SessionId.of(f.get("id")), UserId.of(f.get("user")),
                    Instant.parse(f.get("createdAt")), Instant.parse(f.get("updatedAt")), instant(f.get(EXPIRES_AT)),
                    instant(f.get("absoluteExpiresAt")), f.get("idleTtl") == null ? null : Duration.parse(f.get("idleTtl")),
                    ParleyJson.stringMap(f.get("metadata"), "metadata"), Long.parseLong(f.get(VERSION)),
                    Long.parseLong(f.get("lastSeq")), f.get("currentBranch"),
                    f.get("initialHead") == null ? null : EntryId.of(Long.parseLong(f.get("initialHead"))),
                    ParleyJson.stringMap(f.get("settings"), "settings"));
        } catch (RuntimeException e) {
            throw damaged("session row " + f.get("id"), e);
        }
    }

    /** Whether a stored {@code expiresAt} (absent or empty: never) has passed at {@code now}. */
    static boolean expired(String expiresAt, Instant now) {
        return expiresAt != null && !expiresAt.isEmpty() && !now.isBefore(Instant.parse(expiresAt));
    }

    static Map<String, Branch> branches(Map<String, String> stored) {
        Map<String, Branch> branches = new LinkedHashMap<>();
        stored.forEach((name, head) -> branches.put(name, new Branch(name, head.isEmpty() ? null : EntryId.of(Long.parseLong(head)))));
        return branches;
    }

    static String entry(Entry entry) {
        return ParleyJson.write(ParleyJson.entry(entry));
    }

    static Entry entry(String json) {
        try {
            return ParleyJson.entry(ParleyJson.parse(json, "entry"), "entry");
        } catch (RuntimeException e) {
            throw damaged("an entry", e);
        }
    }

    static String checkpoint(Checkpoint checkpoint) {
        ObjectNode node = ParleyJson.object().put("name", checkpoint.name()).put("entry", checkpoint.entry().value())
                .put("at", checkpoint.at().toString());
        if (checkpoint.note() != null) {
            node.put("note", checkpoint.note());
        }
        return ParleyJson.write(node);
    }

    static Checkpoint checkpoint(String json) {
        try {
            JsonNode node = ParleyJson.parse(json, "checkpoint");
            JsonNode note = node.get("note");
            return new Checkpoint(node.get("name").stringValue(), EntryId.of(node.get("entry").longValue()),
                    note == null ? null : note.stringValue(), Instant.parse(node.get("at").stringValue()));
        } catch (RuntimeException e) {
            throw damaged("a checkpoint", e);
        }
    }

    static String vaultRow(VaultRow row) {
        return ParleyJson.write(ParleyJson.object().put("placeholder", row.placeholder()).put("lookup", row.lookup())
                .put("ciphertext", row.ciphertext()));
    }

    static VaultRow vaultRow(String json) {
        try {
            JsonNode node = ParleyJson.parse(json, "vault row");
            return new VaultRow(node.get("placeholder").stringValue(), node.get("lookup").stringValue(),
                    node.get("ciphertext").stringValue());
        } catch (RuntimeException e) {
            throw damaged("a vault row", e);
        }
    }

    static String idempotency(IdempotencyRecord record) {
        ObjectNode node = ParleyJson.object().put("key", record.key()).put("hash", record.requestHash())
                .put("at", record.at().toString()).put("pending", record.pending());
        ArrayNode entries = node.putArray("entries");
        record.entries().forEach(id -> entries.add(id.value()));
        return ParleyJson.write(node);
    }

    static IdempotencyRecord idempotency(String json) {
        try {
            JsonNode node = ParleyJson.parse(json, "idempotency record");
            List<EntryId> entries = new ArrayList<>();
            node.get("entries").forEach(id -> entries.add(EntryId.of(id.longValue())));
            return new IdempotencyRecord(node.get("key").stringValue(), node.get("hash").stringValue(), entries,
                    Instant.parse(node.get("at").stringValue()), node.get("pending").booleanValue());
        } catch (RuntimeException e) {
            throw damaged("an idempotency record", e);
        }
    }

    /** Turns a flat {@code HGETALL} reply from a script ({@code field, value, field, value …}) into a map. */
    static Map<String, String> pairs(Object reply) {
        Map<String, String> map = new LinkedHashMap<>();
        List<?> flat = (List<?>) reply;
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }

    private static StoreException damaged(String what, RuntimeException e) {
        return new StoreException("Redis holds " + what + " that cannot be read: " + e.getMessage(), e);
    }
}
