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
    /** Session setting holding the create request's {@code sanitize} flag, read by the privacy layer. */
    static final String SANITIZE_SETTING = "privacy.sanitize";
    /** Session setting of a session's own lifetime token budget (the engine's {@code Budget} reads it). */
    static final String BUDGET_SETTING = "budget.session";

    private Views() {
    }

    /** The fields a listing shows. */
    static ObjectNode summary(SessionInfo info) {
        ObjectNode node = ParleyJson.object().put("id", info.id().value()).put("userId", info.user().value())
                .put("createdAt", info.createdAt().toString()).put("updatedAt", info.updatedAt().toString());
        node.put("expiresAt", info.expiresAt() == null ? null : info.expiresAt().toString());
        node.set("metadata", ParleyJson.stringMap(info.metadata()));
        node.put("version", info.version());
        return node;
    }

    /** A session's row with its settings as the API names them. */
    static ObjectNode info(SessionInfo info) {
        ObjectNode node = summary(info);
        node.put("absoluteExpiresAt", info.absoluteExpiresAt() == null ? null : info.absoluteExpiresAt().toString());
        if (info.idleTtl() == null) {
            node.putNull("idleTtl");
        } else {
            node.put("idleTtl", info.idleTtl().toSeconds());
        }
        node.put("currentBranch", info.currentBranch());
        node.set("model", ParleyJson.stringMap(modelDefaults(info)));
        node.put("sanitize", Boolean.parseBoolean(info.settings().get(SANITIZE_SETTING)));
        String budget = info.settings().get(BUDGET_SETTING);
        if (budget == null) {
            node.putNull("tokenBudget");
        } else {
            node.put("tokenBudget", Long.parseLong(budget));
        }
        return node;
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
     * One message entry: {@code content} is its text; {@code parts} is added when the message holds more than
     * text (tool calls, tool results, images, provider artefacts); a redacted one keeps only who erased it and when.
     */
    static ObjectNode entry(Entry entry) {
        ObjectNode node = ParleyJson.object().put("id", entry.id().value());
        if (entry.parent() == null) {
            node.putNull("parent");
        } else {
            node.put("parent", entry.parent().value());
        }
        node.put("at", entry.at().toString());
        switch (entry.payload()) {
            case Payload.MessagePayload m -> message(node, m.message());
            case Payload.Redacted r -> {
                node.put("role", r.role().wireName()).putNull("content");
                node.putObject("redacted").put("by", r.by()).put("at", r.at().toString());
            }
            default -> node.put("kind", entry.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        return node;
    }

    private static void message(ObjectNode node, Message message) {
        node.put("role", message.role().wireName()).put("content", message.text());
        boolean plain = message.parts().stream().allMatch(p -> p instanceof Part.Text);
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
