package dev.parley.json;

import dev.parley.InvalidInputException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.Unicode;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The JSON forms of the domain, used by stores (payload columns, JSONL lines) and by export/import.
 * Domain records carry no annotations; the mapping is written out here, and decoding is strict:
 * a malformed document fails with an error naming the path of the bad field.
 */
public final class ParleyJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** A location the parser writes into some of its messages: "(start marker at [Source: REDACTED …])". */
    private static final Pattern PARSER_LOCATION = Pattern.compile("\\s*\\((?:[a-z ]+ )?\\[Source: [^\\]]*\\]\\)");

    private ParleyJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** Parses JSON text; malformed text, or a string no store could keep (see {@link #requireWellFormed}), is an error naming {@code what}. */
    public static JsonNode parse(String json, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidInputException(what, what + " is not valid JSON: " + describe(e));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidInputException(what, what + " is empty");
        }
        try {
            requireWellFormed(json, node, "");
        } catch (InvalidInputException e) {
            throw new InvalidInputException(what, what + ": " + e.getMessage());
        }
        return node;
    }

    /**
     * Refuses {@code node}, parsed from {@code json}, if a string or a field name in it holds an unpaired surrogate:
     * a JSON escape such as {@code \u005Cud800} without its partner. It has no UTF-8 form, so a store or a provider would
     * keep a {@code ?} in its place. The error names the path, e.g. {@code messages[0].content} (under {@code root},
     * when not empty). The tree is walked only when the text holds an escape that could make one.
     */
    public static void requireWellFormed(String json, JsonNode node, String root) {
        if (mayEscapeASurrogate(json)) {
            requireWellFormed(node, root);
        }
    }

    /**
     * Replaces, in place, each unpaired surrogate in the strings of {@code node} with U+FFFD, the replacement
     * character; true if it changed anything. For text stored before Parley refused such halves (decision 119): a
     * JSONL file kept them escaped, and the data must still open.
     */
    public static boolean repairUnpairedSurrogates(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                JsonNode value = object.get(name);
                String repaired = repairedString(value);
                if (repaired != null) {
                    object.put(name, repaired);
                }
                changed |= repaired != null || repairUnpairedSurrogates(value);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String repaired = repairedString(array.get(i));
                if (repaired != null) {
                    array.set(i, repaired);
                }
                changed |= repaired != null || repairUnpairedSurrogates(array.get(i));
            }
        }
        return changed;
    }

    /** The string {@code value} with its unpaired surrogates replaced; null if it is not a string or needs nothing. */
    private static String repairedString(JsonNode value) {
        return value.isString() && Unicode.unpairedSurrogate(value.stringValue()) >= 0 ? Unicode.repaired(value.stringValue()) : null;
    }

    private static boolean mayEscapeASurrogate(String json) {
        for (int at = json.indexOf("\\u"); at >= 0 && at + 3 < json.length(); at = json.indexOf("\\u", at + 2)) {
            char first = json.charAt(at + 2);
            char second = json.charAt(at + 3);
            if ((first == 'd' || first == 'D') && "89abcdefABCDEF".indexOf(second) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static void requireWellFormed(JsonNode node, String path) {
        if (node.isString()) {
            Unicode.requireWellFormed(path.isEmpty() ? "value" : path, node.stringValue());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireWellFormed(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                Unicode.requireWellFormed("a field name in " + (path.isEmpty() ? "the object" : path), field.getKey());
                requireWellFormed(field.getValue(), at);
            }
        }
    }

    /**
     * What went wrong in a parse, for a person: the parser's first line without the notes on its input it writes into
     * some messages ({@code [Source: REDACTED …; byte offset: #UNKNOWN]}), then where it broke, {@code (line 1, column
     * 11)}, when known.
     */
    public static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        String first = PARSER_LOCATION.matcher(cut < 0 ? message : message.substring(0, cut)).replaceAll("");
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? first : first + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Re-serialises JSON text in Jackson's canonical compact form, so equal values compare equal as text. */
    public static String canonical(String json, String what) {
        return write(parse(json, what));
    }

    // ---- messages ---------------------------------------------------------------------------------

    public static ObjectNode message(Message message) {
        ObjectNode node = object();
        node.put("role", message.role().wireName());
        ArrayNode parts = node.putArray("parts");
        for (Part part : message.parts()) {
            ObjectNode p = parts.addObject();
            switch (part) {
                case Part.Text t -> p.put("type", "text").put("text", t.text());
                case Part.ToolCall c -> p.put("type", "tool_call").put("id", c.id()).put("name", c.name())
                        .put("arguments", c.arguments());
                case Part.ToolResult r -> p.put("type", "tool_result").put("call_id", r.callId())
                        .put("content", r.content()).put("is_error", r.isError());
                case Part.ImageRef i -> {
                    p.put("type", "image").put("url", i.url());
                    if (i.mediaType() != null) {
                        p.put("media_type", i.mediaType());
                    }
                }
                case Part.Opaque o -> p.put("type", "opaque").put("provider", o.provider()).put("model", o.model())
                        .put("json", o.json());
            }
        }
        if (message.name() != null) {
            node.put("name", message.name());
        }
        if (!message.metadata().isEmpty()) {
            ObjectNode meta = node.putObject("metadata");
            new java.util.TreeMap<>(message.metadata()).forEach(meta::put);
        }
        return node;
    }

    public static Message message(JsonNode node, String path) {
        requireObject(node, path);
        Role role = Role.parse(JsonFields.string(node, "role", path));
        JsonNode partsNode = JsonFields.array(node, "parts", path);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < partsNode.size(); i++) {
            String at = path + ".parts[" + i + "]";
            JsonNode p = partsNode.get(i);
            requireObject(p, at);
            String type = JsonFields.string(p, "type", at);
            parts.add(switch (type) {
                case "text" -> new Part.Text(JsonFields.string(p, "text", at));
                case "tool_call" -> new Part.ToolCall(JsonFields.string(p, "id", at), JsonFields.string(p, "name", at),
                        JsonFields.string(p, "arguments", at));
                case "tool_result" -> new Part.ToolResult(JsonFields.string(p, "call_id", at),
                        JsonFields.string(p, "content", at), JsonFields.bool(p, "is_error", at, false));
                case "image" -> new Part.ImageRef(JsonFields.string(p, "url", at), JsonFields.optString(p, "media_type", at));
                case "opaque" -> new Part.Opaque(JsonFields.string(p, "provider", at), JsonFields.string(p, "model", at),
                        JsonFields.string(p, "json", at));
                default -> throw new InvalidInputException(at + ".type",
                        at + ".type must be one of text, tool_call, tool_result, image, opaque: '" + type + "'");
            });
        }
        return new Message(role, parts, JsonFields.optString(node, "name", path), JsonFields.stringMap(node, "metadata", path));
    }

    // ---- payloads ---------------------------------------------------------------------------------

    public static ObjectNode payload(Payload payload) {
        ObjectNode node = object();
        switch (payload) {
            case Payload.MessagePayload m -> node.set("message", message(m.message()));
            case Payload.Redacted r -> node.putObject("redacted").put("role", r.role().wireName()).put("by", r.by())
                    .put("at", r.at().toString());
            case Payload.StatePayload s -> {
                node.set("set", jsonValues(s.set()));
                ArrayNode removed = node.putArray("removed");
                new TreeSet<>(s.removed()).forEach(removed::add);
                node.set("snapshot", jsonValues(s.snapshot()));
            }
            case Payload.SummaryPayload s -> node.put("text", s.text()).put("from", s.from().value()).put("to", s.to().value());
            case Payload.PinsPayload p -> {
                node.put("target", p.target().value());
                ArrayNode pins = node.putArray("pins");
                p.pins().forEach(id -> pins.add(id.value()));
            }
        }
        return node;
    }

    public static String payloadText(Payload payload) {
        return write(payload(payload));
    }

    public static Payload payload(EntryKind kind, JsonNode node, String path) {
        requireObject(node, path);
        return switch (kind) {
            case MESSAGE -> {
                if (node.has("redacted")) {
                    JsonNode r = JsonFields.object(node, "redacted", path);
                    String at = path + ".redacted";
                    yield new Payload.Redacted(Role.parse(JsonFields.string(r, "role", at)), JsonFields.string(r, "by", at),
                            JsonFields.instant(r, "at", at));
                }
                yield new Payload.MessagePayload(message(JsonFields.object(node, "message", path), path + ".message"));
            }
            case STATE -> {
                Set<String> removed = new HashSet<>();
                for (JsonNode key : JsonFields.array(node, "removed", path)) {
                    if (!key.isString()) {
                        throw new InvalidInputException(path + ".removed", path + ".removed must hold strings");
                    }
                    removed.add(key.stringValue());
                }
                yield new Payload.StatePayload(jsonValues(JsonFields.object(node, "set", path)), removed,
                        jsonValues(JsonFields.object(node, "snapshot", path)));
            }
            case SUMMARY -> new Payload.SummaryPayload(JsonFields.string(node, "text", path),
                    entryId(JsonFields.integer(node, "from", path), path + ".from"),
                    entryId(JsonFields.integer(node, "to", path), path + ".to"));
            case PIN, UNPIN -> {
                TreeSet<EntryId> pins = new TreeSet<>();
                for (JsonNode id : JsonFields.array(node, "pins", path)) {
                    if (!id.isIntegralNumber()) {
                        throw new InvalidInputException(path + ".pins", path + ".pins must hold entry ids");
                    }
                    pins.add(entryId(id.longValue(), path + ".pins"));
                }
                yield new Payload.PinsPayload(entryId(JsonFields.integer(node, "target", path), path + ".target"), pins);
            }
        };
    }

    public static Payload payload(EntryKind kind, String json) {
        return payload(kind, parse(json, "payload"), "payload");
    }

    // ---- entries ----------------------------------------------------------------------------------

    public static ObjectNode entry(Entry e) {
        ObjectNode node = object();
        node.put("id", e.id().value());
        if (e.parent() != null) {
            node.put("parent", e.parent().value());
        }
        node.put("depth", e.depth());
        node.put("messages", e.messageCount());
        node.put("at", e.at().toString());
        node.put("kind", e.kind().name());
        node.set("payload", payload(e.payload()));
        putId(node, "stateRef", e.stateRef());
        putId(node, "summaryRef", e.summaryRef());
        putId(node, "pinsRef", e.pinsRef());
        return node;
    }

    public static Entry entry(JsonNode node, String path) {
        requireObject(node, path);
        EntryKind kind;
        String kindText = JsonFields.string(node, "kind", path);
        try {
            kind = EntryKind.valueOf(kindText);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path + ".kind", path + ".kind must be one of MESSAGE, STATE, SUMMARY, PIN, UNPIN: '" + kindText + "'");
        }
        Payload payload = payload(kind, JsonFields.object(node, "payload", path), path + ".payload");
        try {
            return new Entry(entryId(JsonFields.integer(node, "id", path), path + ".id"),
                    optId(node, "parent", path), (int) JsonFields.integer(node, "depth", path),
                    (int) JsonFields.integer(node, "messages", path), JsonFields.instant(node, "at", path), kind, payload,
                    optId(node, "stateRef", path), optId(node, "summaryRef", path), optId(node, "pinsRef", path));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path, path + " is inconsistent: " + e.getMessage());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** A map of JSON texts as an object whose values are the parsed JSON. */
    private static ObjectNode jsonValues(Map<String, String> values) {
        ObjectNode node = object();
        new java.util.TreeMap<>(values).forEach((k, v) -> node.set(k, parse(v, "state value " + k)));
        return node;
    }

    private static Map<String, String> jsonValues(JsonNode node) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), write(e.getValue()));
        }
        return out;
    }

    public static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode node = object();
        new java.util.TreeMap<>(map).forEach(node::put);
        return node;
    }

    public static String stringMapText(Map<String, String> map) {
        return write(stringMap(map));
    }

    public static Map<String, String> stringMap(String json, String what) {
        JsonNode node = parse(json, what);
        ObjectNode wrapper = object();
        wrapper.set("m", node);
        return JsonFields.stringMap(wrapper, "m", what);
    }

    private static void putId(ObjectNode node, String field, EntryId id) {
        if (id != null) {
            node.put(field, id.value());
        }
    }

    private static EntryId optId(JsonNode node, String field, String path) {
        Long value = JsonFields.optInteger(node, field, path);
        return value == null ? null : entryId(value, path + "." + field);
    }

    private static EntryId entryId(long value, String path) {
        if (value < 1) {
            throw new InvalidInputException(path, path + " must be a positive entry id: " + value);
        }
        return EntryId.of(value);
    }

    private static void requireObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path, path + " must be an object");
        }
    }
}
