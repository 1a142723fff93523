package dev.parley.store.jsonl;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Payload;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lines of a session file. The first is {@code "op":"create"} (a creation or an import), each later
 * write one {@code "op":"write"}, and a redaction {@code "op":"redact"}. Entries and payloads use the
 * domain's JSON form ({@link ParleyJson}); empty lists are left out; the session row comes last, since
 * it is the same in every line but for a few fields:
 * <pre>{@code
 * {"v":1,"op":"write","entries":[{"id":3,"parent":2,…}],"branches":{"main":3},"counters":{"messages.user":1},"info":{…}}
 * }</pre>
 */
final class SessionLines {
    private SessionLines() {
    }

    static byte[] encode(Change change) {
        return Lines.bytes(switch (change) {
            case Change.Write write -> write(write);
            case Change.Redact redact -> redact(redact);
        });
    }

    static Change decode(JsonNode line) {
        // A half surrogate pair written before Parley refused them (decision 119) reads as U+FFFD instead of failing.
        ParleyJson.repairUnpairedSurrogates(line);
        String op = Lines.op(line);
        return switch (op) {
            case "create", "write" -> new Change.Write(op.equals("create"), info(Fields.object(line, "info")), entries(line),
                    branches(line), names(line, "deletedBranches"), checkpoints(line), names(line, "deletedCheckpoints"),
                    vault(line), Fields.integers(line, "counters"), idempotency(line));
            case "redact" -> new Change.Redact(info(Fields.object(line, "info")), EntryId.of(Fields.integer(line, "entry")),
                    tombstone(Fields.object(line, "payload")));
            default -> throw new IllegalArgumentException("unknown op '" + op + "'");
        };
    }

    /**
     * {@code line} with entry {@code id}'s payload replaced by {@code tombstone}, or {@code line} itself
     * (byte for byte) when the entry is not in it: a redaction rewrites only the line that held the text.
     */
    static byte[] redactIn(byte[] line, EntryId id, Payload.Redacted tombstone) {
        JsonNode node = ParleyJson.mapper().readTree(line);
        JsonNode entries = node.get("entries");
        if (entries == null || !entries.isArray()) {
            return line;
        }
        boolean changed = false;
        for (JsonNode entry : entries) {
            JsonNode entryId = entry.get("id");
            if (entry instanceof ObjectNode object && entryId != null && entryId.isIntegralNumber()
                    && entryId.longValue() == id.value()) {
                object.set("payload", ParleyJson.payload(tombstone));
                changed = true;
            }
        }
        return changed ? ParleyJson.mapper().writeValueAsBytes(node) : line;
    }

    // ---- writing ----------------------------------------------------------------------------------

    private static ObjectNode write(Change.Write write) {
        ObjectNode line = Lines.start(write.opens() ? "create" : "write");
        if (!write.entries().isEmpty()) {
            ArrayNode entries = line.putArray("entries");
            write.entries().forEach(e -> entries.add(ParleyJson.entry(e)));
        }
        if (!write.branches().isEmpty()) {
            ObjectNode branches = line.putObject("branches");
            for (Branch branch : write.branches()) {
                if (branch.head() == null) {
                    branches.putNull(branch.name());
                } else {
                    branches.put(branch.name(), branch.head().value());
                }
            }
        }
        putNames(line, "deletedBranches", write.deletedBranches());
        if (!write.checkpoints().isEmpty()) {
            ArrayNode checkpoints = line.putArray("checkpoints");
            for (Checkpoint c : write.checkpoints()) {
                ObjectNode node = checkpoints.addObject().put("name", c.name()).put("entry", c.entry().value());
                if (c.note() != null) {
                    node.put("note", c.note());
                }
                node.put("at", c.at().toString());
            }
        }
        putNames(line, "deletedCheckpoints", write.deletedCheckpoints());
        if (!write.vault().isEmpty()) {
            ArrayNode vault = line.putArray("vault");
            write.vault().forEach(row -> vault.addObject().put("placeholder", row.placeholder()).put("lookup", row.lookup())
                    .put("ciphertext", row.ciphertext()));
        }
        if (!write.counters().isEmpty()) {
            ObjectNode counters = line.putObject("counters");
            new TreeMap<>(write.counters()).forEach(counters::put);
        }
        IdempotencyRecord record = write.idempotency();
        if (record != null) {
            ObjectNode node = line.putObject("idempotency").put("key", record.key()).put("hash", record.requestHash());
            ArrayNode ids = node.putArray("entries");
            record.entries().forEach(id -> ids.add(id.value()));
            node.put("at", record.at().toString());
            if (record.pending()) {
                node.put("pending", true);
            }
        }
        line.set("info", info(write.info()));
        return line;
    }

    private static ObjectNode redact(Change.Redact redact) {
        ObjectNode line = Lines.start("redact");
        line.put("entry", redact.entry().value());
        line.set("payload", ParleyJson.payload(redact.tombstone()));
        line.set("info", info(redact.info()));
        return line;
    }

    private static void putNames(ObjectNode line, String field, Set<String> names) {
        if (!names.isEmpty()) {
            ArrayNode array = line.putArray(field);
            new TreeSet<>(names).forEach(array::add);
        }
    }

    static ObjectNode info(SessionInfo info) {
        ObjectNode node = ParleyJson.object();
        node.put("tenant", info.tenant().value());
        node.put("id", info.id().value());
        node.put("user", info.user().value());
        node.put("createdAt", info.createdAt().toString());
        node.put("updatedAt", info.updatedAt().toString());
        putInstant(node, "expiresAt", info.expiresAt());
        putInstant(node, "absoluteExpiresAt", info.absoluteExpiresAt());
        if (info.idleTtl() != null) {
            node.put("idleTtl", info.idleTtl().toString());
        }
        node.set("metadata", ParleyJson.stringMap(info.metadata()));
        node.put("version", info.version());
        node.put("lastSeq", info.lastSeq());
        node.put("currentBranch", info.currentBranch());
        if (info.initialHead() != null) {
            node.put("initialHead", info.initialHead().value());
        }
        node.set("settings", ParleyJson.stringMap(info.settings()));
        return node;
    }

    private static void putInstant(ObjectNode node, String field, Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }

    // ---- reading ----------------------------------------------------------------------------------

    static SessionInfo info(JsonNode node) {
        Long initialHead = Fields.optInteger(node, "initialHead");
        return new SessionInfo(TenantId.of(Fields.string(node, "tenant")), SessionId.of(Fields.string(node, "id")),
                UserId.of(Fields.string(node, "user")), Fields.instant(node, "createdAt"), Fields.instant(node, "updatedAt"),
                Fields.optInstant(node, "expiresAt"), Fields.optInstant(node, "absoluteExpiresAt"),
                Fields.optDuration(node, "idleTtl"), Fields.strings(node, "metadata"), Fields.integer(node, "version"),
                Fields.integer(node, "lastSeq"), Fields.string(node, "currentBranch"),
                initialHead == null ? null : EntryId.of(initialHead), Fields.strings(node, "settings"));
    }

    private static List<Entry> entries(JsonNode line) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : Fields.array(line, "entries")) {
            entries.add(ParleyJson.entry(node, "entries[" + entries.size() + "]"));
        }
        return entries;
    }

    private static List<Branch> branches(JsonNode line) {
        List<Branch> branches = new ArrayList<>();
        JsonNode node = line.get("branches");
        if (node == null || node.isNull()) {
            return branches;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("field 'branches' must be an object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            EntryId head = e.getValue().isNull() ? null
                    : EntryId.of(Fields.integerValue(e.getValue(), "head of branch " + e.getKey()));
            branches.add(new Branch(e.getKey(), head));
        }
        return branches;
    }

    private static Set<String> names(JsonNode line, String field) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode name : Fields.array(line, field)) {
            if (!name.isString()) {
                throw new IllegalArgumentException("field '" + field + "' must hold names");
            }
            names.add(name.stringValue());
        }
        return names;
    }

    private static List<Checkpoint> checkpoints(JsonNode line) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (JsonNode node : Fields.array(line, "checkpoints")) {
            checkpoints.add(new Checkpoint(Fields.string(node, "name"), EntryId.of(Fields.integer(node, "entry")),
                    Fields.optString(node, "note"), Fields.instant(node, "at")));
        }
        return checkpoints;
    }

    private static List<VaultRow> vault(JsonNode line) {
        List<VaultRow> rows = new ArrayList<>();
        for (JsonNode node : Fields.array(line, "vault")) {
            rows.add(new VaultRow(Fields.string(node, "placeholder"), Fields.string(node, "lookup"),
                    Fields.string(node, "ciphertext")));
        }
        return rows;
    }

    private static IdempotencyRecord idempotency(JsonNode line) {
        JsonNode node = line.get("idempotency");
        if (node == null || node.isNull()) {
            return null;
        }
        List<EntryId> ids = new ArrayList<>();
        for (JsonNode id : Fields.array(node, "entries")) {
            ids.add(EntryId.of(Fields.integerValue(id, "idempotency entry id")));
        }
        return new IdempotencyRecord(Fields.string(node, "key"), Fields.string(node, "hash"), ids, Fields.instant(node, "at"),
                Fields.bool(node, "pending"));
    }

    private static Payload.Redacted tombstone(JsonNode node) {
        if (ParleyJson.payload(EntryKind.MESSAGE, node, "payload") instanceof Payload.Redacted redacted) {
            return redacted;
        }
        throw new IllegalArgumentException("field 'payload' of a redaction must be a tombstone");
    }
}
