package dev.parley.client;

import dev.parley.SessionSpec;
import dev.parley.InvalidInputException;
import dev.parley.context.Context;
import dev.parley.context.ContextMessage;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The REST API's JSON, to and from the library's domain records. */
final class Wire {
    /** The session setting that asks the server's privacy layer to sanitise a session (create's {@code sanitize}). */
    static final String SANITIZE_SETTING = "privacy.sanitize";

    private Wire() {
    }

    // ---- requests ---------------------------------------------------------------------------------------

    /** A create request; what a server cannot take (engine settings it does not expose, sub-second lifetimes) is refused here. */
    static ObjectNode create(SessionSpec spec) {
        ObjectNode node = ParleyJson.object();
        if (spec.id() != null) {
            node.put("id", spec.id().value());
        }
        if (spec.user() != null) {
            node.put("userId", spec.user().value());
        }
        if (spec.systemPrompt() != null) {
            node.put("systemPrompt", spec.systemPrompt());
        }
        if (!spec.initialPrompts().isEmpty()) {
            node.set("initialPrompts", messages(spec.initialPrompts()));
        }
        if (!spec.metadata().isEmpty()) {
            node.set("metadata", ParleyJson.stringMap(spec.metadata()));
        }
        if (!spec.state().isEmpty()) {
            node.set("state", StateJson.values(spec.state()));
        }
        if (spec.ttl() != null) {
            node.put("ttl", seconds("ttl", spec.ttl()));
        }
        if (spec.idleTtl() != null) {
            node.put("idleTtl", seconds("idleTtl", spec.idleTtl()));
        }
        if (spec.checkpointEvery() > 0) {
            node.put("checkpointEvery", spec.checkpointEvery());
        }
        if (!spec.modelDefaults().isEmpty()) {
            node.set("model", ParleyJson.stringMap(spec.modelDefaults()));
        }
        if (spec.tokenBudget() != null) {
            node.putObject("quota").put("tokenBudget", spec.tokenBudget());
        }
        spec.settings().forEach((key, value) -> {
            if (key.equals(SANITIZE_SETTING)) {
                node.put("sanitize", Boolean.parseBoolean(value));
            } else {
                throw new InvalidInputException("setting", "a server takes no engine setting '" + key + "' from a client; "
                        + "use modelDefault, tokenBudget, checkpointEvery or " + SANITIZE_SETTING);
            }
        });
        return node;
    }

    /** A lifetime in the whole seconds the API counts in; a fraction is refused rather than rounded. */
    static long seconds(String field, Duration value) {
        if (value.toNanosPart() != 0 || value.toSeconds() < 1) {
            throw new InvalidInputException(field, field + " must be a whole number of seconds for a server: " + value);
        }
        return value.toSeconds();
    }

    static ArrayNode messages(List<Message> messages) {
        ArrayNode array = ParleyJson.mapper().createArrayNode();
        messages.forEach(m -> array.add(ParleyJson.message(m)));
        return array;
    }

    /** A context policy as the API names it; policies holding code (a summariser, a filter) cannot be sent. */
    static String policy(ContextPolicy policy) {
        return switch (policy) {
            case ContextPolicy.All all -> "all";
            case ContextPolicy.LastMessages last -> "last:" + last.n();
            case ContextPolicy.TokenBudget budget -> "tokens:" + budget.maxTokens() + ":" + budget.reserveForReply();
            default -> throw new InvalidInputException("policy", "a server builds contexts with all, lastMessages or "
                    + "tokenBudget policies; " + policy.getClass().getSimpleName() + " holds code and cannot be sent to it");
        };
    }

    // ---- responses --------------------------------------------------------------------------------------

    static SessionInfo info(JsonNode node) {
        return new SessionInfo(TenantId.of(node.get("tenant").stringValue()), SessionId.of(node.get("id").stringValue()),
                UserId.of(node.get("userId").stringValue()), instant(node, "createdAt"), instant(node, "updatedAt"),
                instant(node, "expiresAt"), instant(node, "absoluteExpiresAt"),
                node.path("idleTtl").isNumber() ? Duration.ofSeconds(node.get("idleTtl").longValue()) : null,
                strings(node.get("metadata")), node.get("version").longValue(), node.get("lastSeq").longValue(),
                node.get("currentBranch").stringValue(), id(node, "initialHead"), strings(node.get("settings")));
    }

    /** An entry as the API shows it: a message's text or parts, a tombstone, or another kind's payload. */
    static Entry entry(JsonNode node) {
        EntryKind kind = EntryKind.valueOf(node.get("kind").stringValue().toUpperCase(Locale.ROOT));
        Payload payload;
        if (node.has("payload")) {
            payload = ParleyJson.payload(kind, node.get("payload"), "entry.payload");
        } else if (node.has("redacted")) {
            JsonNode redacted = node.get("redacted");
            payload = new Payload.Redacted(Role.parse(node.get("role").stringValue()), redacted.get("by").stringValue(),
                    Instant.parse(redacted.get("at").stringValue()));
        } else {
            ObjectNode message = ParleyJson.object().put("role", node.get("role").stringValue());
            if (node.has("parts")) {
                message.set("parts", node.get("parts"));
            } else {
                message.putArray("parts").addObject().put("type", "text").put("text", node.get("content").stringValue());
            }
            if (node.has("name")) {
                message.set("name", node.get("name"));
            }
            if (node.has("metadata")) {
                message.set("metadata", node.get("metadata"));
            }
            payload = new Payload.MessagePayload(ParleyJson.message(message, "entry"));
        }
        return new Entry(EntryId.of(node.get("id").longValue()), id(node, "parent"), node.get("depth").intValue(),
                node.get("messages").intValue(), instant(node, "at"), kind, payload, id(node, "stateRef"),
                id(node, "summaryRef"), id(node, "pinsRef"));
    }

    static List<Entry> entries(JsonNode array) {
        List<Entry> out = new ArrayList<>();
        array.forEach(e -> out.add(entry(e)));
        return out;
    }

    static Checkpoint checkpoint(JsonNode node) {
        return new Checkpoint(node.get("name").stringValue(), EntryId.of(node.get("entry").longValue()),
                node.path("note").isString() ? node.get("note").stringValue() : null, instant(node, "at"));
    }

    static Branch branch(JsonNode node) {
        return new Branch(node.get("name").stringValue(), id(node, "head"));
    }

    static Context context(JsonNode node) {
        List<ContextMessage> messages = new ArrayList<>();
        for (JsonNode m : node.get("messages")) {
            ObjectNode message = (ObjectNode) m.deepCopy();
            int tokens = message.remove("tokens").intValue();
            ContextMessage.Source source = ContextMessage.Source.valueOf(message.remove("source").stringValue()
                    .toUpperCase(Locale.ROOT));
            JsonNode entry = message.remove("entry");
            messages.add(new ContextMessage(ParleyJson.message(message, "context message"), tokens,
                    entry == null ? null : EntryId.of(entry.longValue()), source));
        }
        return new Context(messages, node.get("totalTokens").intValue(), node.get("omittedMessages").intValue(),
                node.get("truncated").booleanValue(), null);
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.stringValue());
    }

    private static EntryId id(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : EntryId.of(value.longValue());
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().stringValue()));
        }
        return out;
    }
}
