package dev.parley.server.internal;

import dev.parley.Parley;
import dev.parley.analytics.Analytics;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionInfo;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/** The JSON the API answers with, written out field by field (domain records carry no annotations). */
final class Views {
    /** Session setting of a session's own lifetime token budget (the engine's {@code Budget} reads it). */
    static final String BUDGET_SETTING = "budget.session";

    private Views() {
    }

    /** A session's row, as listings show it: everything but what is derived from settings (see {@link #info}). */
    static ObjectNode summary(SessionInfo info) {
        ObjectNode node = ParleyJson.object().put("id", info.id().value()).put("tenant", info.tenant().value())
                .put("userId", info.user().value())
                .put("createdAt", info.createdAt().toString()).put("updatedAt", info.updatedAt().toString());
        node.put("expiresAt", info.expiresAt() == null ? null : info.expiresAt().toString());
        node.set("metadata", ParleyJson.stringMap(info.metadata()));
        node.put("version", info.version());
        node.put("absoluteExpiresAt", info.absoluteExpiresAt() == null ? null : info.absoluteExpiresAt().toString());
        if (info.idleTtl() == null) {
            node.putNull("idleTtl");
        } else {
            node.put("idleTtl", info.idleTtl().toSeconds());
        }
        node.put("currentBranch", info.currentBranch()).put("lastSeq", info.lastSeq());
        node.put("initialHead", info.initialHead() == null ? null : info.initialHead().value());
        node.set("settings", ParleyJson.stringMap(visibleSettings(info)));
        return node;
    }

    /** A session's row with its settings as the API names them; {@code sanitizing}: whether its chat turns sanitise. */
    static ObjectNode info(SessionInfo info, boolean sanitizing) {
        ObjectNode node = summary(info);
        node.set("model", ParleyJson.stringMap(modelDefaults(info)));
        node.put("sanitize", sanitizing);
        String budget = info.settings().get(BUDGET_SETTING);
        if (budget == null) {
            node.putNull("tokenBudget");
        } else {
            node.put("tokenBudget", Long.parseLong(budget));
        }
        return node;
    }

    /** The engine's settings but the privacy layer's own (its wrapped data key stays on the server; {@code sanitize} says the rest). */
    private static Map<String, String> visibleSettings(SessionInfo info) {
        Map<String, String> out = new TreeMap<>(info.settings());
        out.keySet().removeIf(k -> k.startsWith("privacy."));
        return out;
    }

    static Map<String, String> modelDefaults(SessionInfo info) {
        Map<String, String> out = new TreeMap<>();
        info.settings().forEach((k, v) -> {
            if (k.startsWith(Parley.MODEL_SETTING_PREFIX)) {
                out.put(k.substring(Parley.MODEL_SETTING_PREFIX.length()), v);
            }
        });
        return out;
    }

    static ObjectNode branch(Branch branch, String current) {
        ObjectNode node = ParleyJson.object().put("name", branch.name());
        if (branch.head() == null) {
            node.putNull("head");
        } else {
            node.put("head", branch.head().value());
        }
        return node.put("current", branch.name().equals(current));
    }

    static ObjectNode checkpoint(Checkpoint checkpoint) {
        return ParleyJson.object().put("name", checkpoint.name()).put("entry", checkpoint.entry().value())
                .put("note", checkpoint.note()).put("at", checkpoint.at().toString()).put("automatic", checkpoint.isAutomatic());
    }

    /**
     * One entry of the history tree, with its place in it ({@code parent}, {@code depth}, {@code messages} on its path,
     * the {@code stateRef} / {@code summaryRef} / {@code pinsRef} it carries). A message's {@code content} is its text;
     * {@code parts} is added when the message is more than one text part (tool calls, tool results, images, provider
     * artefacts, several texts); a redacted one keeps only who erased it and when; other kinds carry their
     * {@code payload} as exports write it.
     */
    static ObjectNode entry(Entry entry) {
        ObjectNode node = ParleyJson.object().put("id", entry.id().value());
        if (entry.parent() == null) {
            node.putNull("parent");
        } else {
            node.put("parent", entry.parent().value());
        }
        node.put("at", entry.at().toString()).put("kind", entry.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("depth", entry.depth()).put("messages", entry.messageCount());
        node.put("stateRef", entry.stateRef() == null ? null : entry.stateRef().value());
        node.put("summaryRef", entry.summaryRef() == null ? null : entry.summaryRef().value());
        node.put("pinsRef", entry.pinsRef() == null ? null : entry.pinsRef().value());
        switch (entry.payload()) {
            case Payload.MessagePayload m -> message(node, m.message());
            case Payload.Redacted r -> {
                node.put("role", r.role().wireName()).putNull("content");
                node.putObject("redacted").put("by", r.by()).put("at", r.at().toString());
            }
            default -> node.set("payload", ParleyJson.payload(entry.payload()));
        }
        return node;
    }

    private static void message(ObjectNode node, Message message) {
        node.put("role", message.role().wireName()).put("content", message.text());
        boolean plain = message.parts().size() == 1 && message.parts().getFirst() instanceof Part.Text;
        if (!plain) {
            node.set("parts", ParleyJson.message(message).get("parts"));
        }
        if (message.role() == Role.TOOL && message.toolResults().size() == 1) {
            node.put("toolCallId", message.toolResults().getFirst().callId());
        }
        if (message.name() != null) {
            node.put("name", message.name());
        }
        if (!message.metadata().isEmpty()) {
            node.set("metadata", ParleyJson.stringMap(message.metadata()));
        }
    }

    static ArrayNode entries(Iterable<Entry> entries) {
        ArrayNode array = ParleyJson.mapper().createArrayNode();
        entries.forEach(e -> array.add(entry(e)));
        return array;
    }

    static ObjectNode analytics(Analytics a) {
        ObjectNode node = ParleyJson.object();
        ObjectNode byRole = node.putObject("messagesByRole");
        a.messagesByRole().forEach((role, n) -> byRole.put(role.wireName(), n));
        ObjectNode lengths = node.putObject("averageLengthByRole");
        a.averageLengthByRole().forEach((role, n) -> lengths.put(role.wireName(), n));
        node.put("messages", a.messages()).put("tokensIn", a.tokensIn()).put("tokensOut", a.tokensOut())
                .put("modelCalls", a.modelCalls())
                .put("firstActivity", a.firstActivity() == null ? null : a.firstActivity().toString())
                .put("lastActivity", a.lastActivity() == null ? null : a.lastActivity().toString())
                .put("durationSeconds", a.duration().toSeconds()).put("messagesPerMinute", a.messagesPerMinute());
        node.put("latencyP50Ms", a.latencyP50() == null ? null : a.latencyP50().toMillis());
        node.put("latencyP95Ms", a.latencyP95() == null ? null : a.latencyP95().toMillis());
        node.put("cost", a.cost());
        ArrayNode unpriced = node.putArray("unpricedModels");
        a.unpricedModels().forEach(unpriced::add);
        return node;
    }
}
