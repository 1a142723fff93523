package dev.parley.io;

import dev.parley.InvalidInputException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.SessionImage;
import dev.parley.store.VaultRow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned Parley export document: everything a session holds (tree, branches, checkpoints,
 * state — which lives in STATE entries —, metadata, settings, counters, and vault rows still
 * encrypted). The tenant is not part of the document: an import lands in the importer's tenant.
 *
 * <pre>{"format":"parley.session","version":1,"session":{…},"branches":[…],"checkpoints":[…],
 *  "entries":[…],"vault":[…],"counters":{…}}</pre>
 *
 * A reader refuses documents of a newer version than it knows, and any malformed field, with an
 * error naming the field's path.
 */
public final class SessionDocument {
    public static final String FORMAT = "parley.session";
    public static final int VERSION = 1;

    private SessionDocument() {
    }

    public static ObjectNode write(SessionImage image) {
        SessionInfo info = image.info();
        ObjectNode root = ParleyJson.object();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode session = root.putObject("session");
        session.put("id", info.id().value());
        session.put("user", info.user().value());
        session.put("createdAt", info.createdAt().toString());
        session.put("updatedAt", info.updatedAt().toString());
        if (info.absoluteExpiresAt() != null) {
            session.put("absoluteExpiresAt", info.absoluteExpiresAt().toString());
        }
        if (info.idleTtl() != null) {
            session.put("idleTtlMillis", info.idleTtl().toMillis());
        }
        session.set("metadata", ParleyJson.stringMap(info.metadata()));
        session.set("settings", ParleyJson.stringMap(info.settings()));
        session.put("version", info.version());
        session.put("lastSeq", info.lastSeq());
        session.put("currentBranch", info.currentBranch());
        if (info.initialHead() != null) {
            session.put("initialHead", info.initialHead().value());
        }
        ArrayNode branches = root.putArray("branches");
        for (Branch b : image.branches().stream().sorted(java.util.Comparator.comparing(Branch::name)).toList()) {
            ObjectNode node = branches.addObject().put("name", b.name());
            if (b.head() != null) {
                node.put("head", b.head().value());
            }
        }
        ArrayNode checkpoints = root.putArray("checkpoints");
        for (Checkpoint c : image.checkpoints()) {
            ObjectNode node = checkpoints.addObject().put("name", c.name()).put("entry", c.entry().value()).put("at", c.at().toString());
            if (c.note() != null) {
                node.put("note", c.note());
            }
        }
        ArrayNode entries = root.putArray("entries");
        image.entries().forEach(e -> entries.add(ParleyJson.entry(e)));
        ArrayNode vault = root.putArray("vault");
        image.vault().forEach(v -> vault.addObject().put("placeholder", v.placeholder()).put("lookup", v.lookup())
                .put("ciphertext", v.ciphertext()));
        ObjectNode counters = root.putObject("counters");
        new java.util.TreeMap<>(image.counters()).forEach(counters::put);
        return root;
    }

    /**
     * Reads a document into an image for {@code tenant}, under {@code asId} if given (else the
     * document's id). Validates the format, the version and every field.
     */
    public static SessionImage read(JsonNode root, TenantId tenant, SessionId asId) {
        if (root == null || !root.isObject()) {
            throw invalid("document", "the document must be a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asString(""))) {
            throw invalid("format", "not a Parley session export (format must be \"" + FORMAT + "\")");
        }
        JsonNode versionNode = root.get("version");
        if (versionNode == null || !versionNode.isIntegralNumber()) {
            throw invalid("version", "version must be an integer");
        }
        // Jackson 3 throws its own JsonNodeException from intValue() beyond int range: refuse such a version here.
        if (!versionNode.canConvertToInt()) {
            throw invalid("version", "export format version is out of range: " + versionNode);
        }
        int version = versionNode.intValue();
        if (version > VERSION) {
            throw invalid("version", "export format version " + version + " is newer than this Parley understands ("
                    + VERSION + "); upgrade Parley to import it");
        }
        if (version < 1) {
            throw invalid("version", "export format version must be >= 1: " + version);
        }
        JsonNode s = field(root, "session");
        SessionId id = asId != null ? asId : SessionId.of(text(s, "id", "session"));
        Long idleMillis = optLong(s, "idleTtlMillis", "session");
        Duration idle = idleMillis == null ? null : Duration.ofMillis(idleMillis);
        Instant updatedAt = instant(s, "updatedAt", "session");
        Instant absolute = optInstant(s, "absoluteExpiresAt", "session");
        Instant expiresAt = expiry(updatedAt, absolute, idle);
        SessionInfo info = new SessionInfo(tenant, id, UserId.of(text(s, "user", "session")),
                instant(s, "createdAt", "session"), updatedAt, expiresAt, absolute, idle,
                ParleyJson.stringMap(ParleyJson.write(field(s, "metadata")), "session.metadata"),
                longValue(s, "version", "session"), longValue(s, "lastSeq", "session"),
                Names.branch(text(s, "currentBranch", "session")), optId(s, "initialHead", "session"),
                ParleyJson.stringMap(ParleyJson.write(field(s, "settings")), "session.settings"));

        List<Branch> branches = new ArrayList<>();
        JsonNode branchNodes = array(root, "branches");
        for (int i = 0; i < branchNodes.size(); i++) {
            JsonNode b = branchNodes.get(i);
            branches.add(new Branch(text(b, "name", "branches[" + i + "]"), optId(b, "head", "branches[" + i + "]")));
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        JsonNode checkpointNodes = array(root, "checkpoints");
        for (int i = 0; i < checkpointNodes.size(); i++) {
            JsonNode c = checkpointNodes.get(i);
            String at = "checkpoints[" + i + "]";
            checkpoints.add(new Checkpoint(text(c, "name", at), EntryId.of(longValue(c, "entry", at)),
                    c.hasNonNull("note") ? text(c, "note", at) : null, instant(c, "at", at)));
        }
        List<Entry> entries = new ArrayList<>();
        JsonNode entryNodes = array(root, "entries");
        for (int i = 0; i < entryNodes.size(); i++) {
            entries.add(ParleyJson.entry(entryNodes.get(i), "entries[" + i + "]"));
        }
        List<VaultRow> vault = new ArrayList<>();
        JsonNode vaultNodes = array(root, "vault");
        for (int i = 0; i < vaultNodes.size(); i++) {
            JsonNode v = vaultNodes.get(i);
            String at = "vault[" + i + "]";
            vault.add(new VaultRow(text(v, "placeholder", at), text(v, "lookup", at), text(v, "ciphertext", at)));
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        JsonNode counterNodes = root.get("counters");
        if (counterNodes != null && !counterNodes.isNull()) {
            if (!counterNodes.isObject()) {
                throw invalid("counters", "counters must be an object of integers");
            }
            for (Map.Entry<String, JsonNode> e : counterNodes.properties()) {
                if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
                    throw invalid("counters." + e.getKey(), "counters." + e.getKey() + " must be a 64-bit integer");
                }
                counters.put(e.getKey(), e.getValue().longValue());
            }
        }
        return new SessionImage(info, branches, checkpoints, entries, vault, counters);
    }

    // Small strict accessors with paths in their messages.

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject()) {
            throw invalid(name, name + " must be an object");
        }
        return value;
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isArray()) {
            throw invalid(name, name + " must be an array");
        }
        return value;
    }

    private static String text(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || !value.isString()) {
            throw invalid(path + "." + name, path + "." + name + " must be a string");
        }
        return value.stringValue();
    }

    private static long longValue(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        // canConvertToLong: past 64 bits Jackson 3's longValue() throws its own JsonNodeException, not ours.
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(path + "." + name, path + "." + name + " must be a 64-bit integer");
        }
        return value.longValue();
    }

    /** The effective expiry; an idle TTL that reaches past the last representable instant is refused, not overflowed. */
    private static Instant expiry(Instant updatedAt, Instant absolute, Duration idle) {
        try {
            return SessionInfo.expiryAt(updatedAt, absolute, idle);
        } catch (DateTimeException | ArithmeticException e) {
            throw invalid("session.idleTtlMillis", "session.idleTtlMillis " + idle.toMillis() + " after session.updatedAt "
                    + updatedAt + " is beyond the last representable instant");
        }
    }

    private static Long optLong(JsonNode node, String name, String path) {
        return node.hasNonNull(name) ? longValue(node, name, path) : null;
    }

    private static EntryId optId(JsonNode node, String name, String path) {
        Long value = optLong(node, name, path);
        if (value != null && value < 1) {
            throw invalid(path + "." + name, path + "." + name + " must be a positive entry id");
        }
        return value == null ? null : EntryId.of(value);
    }

    private static Instant instant(JsonNode node, String name, String path) {
        String value = text(node, name, path);
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(path + "." + name, path + "." + name + " must be an ISO-8601 instant: " + value);
        }
    }

    private static Instant optInstant(JsonNode node, String name, String path) {
        return node.hasNonNull(name) ? instant(node, name, path) : null;
    }

    private static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException(field, "invalid session export: " + message);
    }
}
