package dev.parley.cli;

import dev.parley.io.SessionDocument;
import dev.parley.json.ParleyJson;
import dev.parley.store.SessionImage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A SHA-256 of everything a session holds, equal for the same session read from any store. It hashes
 * the session's export document (which leaves the tenant out) in a canonical form: object keys sorted
 * at every level and checkpoints and vault rows sorted by name, because stores may list those in
 * different orders and may reorder the keys of JSON values they keep.
 */
final class SessionChecksum {
    private SessionChecksum() {
    }

    static String of(SessionImage image) {
        String canonical = ParleyJson.write(canonical(image));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static JsonNode canonical(SessionImage image) {
        ObjectNode document = SessionDocument.write(image);
        document.set("checkpoints", sortedBy(document.get("checkpoints"), "name"));
        document.set("vault", sortedBy(document.get("vault"), "placeholder"));
        return sortKeys(document);
    }

    private static ArrayNode sortedBy(JsonNode array, String field) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        items.sort(Comparator.comparing(item -> item.get(field).stringValue()));
        ArrayNode sorted = ParleyJson.mapper().createArrayNode();
        items.forEach(sorted::add);
        return sorted;
    }

    private static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = ParleyJson.object();
            for (String name : new TreeSet<>(node.propertyNames())) {
                sorted.set(name, sortKeys(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode sorted = ParleyJson.mapper().createArrayNode();
            node.forEach(item -> sorted.add(sortKeys(item)));
            return sorted;
        }
        return node;
    }
}
