package dev.parley.cli;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionInfo;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Text and JSON renderings of what the CLI prints. */
final class Render {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Render() {
    }

    static String time(Instant instant) {
        return instant == null ? "never" : TIME.format(instant);
    }

    static ObjectNode info(SessionInfo info) {
        ObjectNode node = ParleyJson.object();
        node.put("id", info.id().value());
        node.put("tenant", info.tenant().value());
        node.put("user", info.user().value());
        node.put("createdAt", info.createdAt().toString());
        node.put("updatedAt", info.updatedAt().toString());
        if (info.expiresAt() != null) {
            node.put("expiresAt", info.expiresAt().toString());
        }
        node.put("version", info.version());
        node.put("currentBranch", info.currentBranch());
        node.set("metadata", ParleyJson.stringMap(info.metadata()));
        return node;
    }

    static ObjectNode entry(Entry e) {
        ObjectNode node = ParleyJson.entry(e);
        return node;
    }

    static ArrayNode branches(List<Branch> branches) {
        ArrayNode out = ParleyJson.mapper().createArrayNode();
        for (Branch b : branches) {
            ObjectNode node = out.addObject().put("name", b.name());
            if (b.head() != null) {
                node.put("head", b.head().value());
            }
        }
        return out;
    }

    static ArrayNode checkpoints(List<Checkpoint> checkpoints) {
        ArrayNode out = ParleyJson.mapper().createArrayNode();
        for (Checkpoint c : checkpoints) {
            ObjectNode node = out.addObject().put("name", c.name()).put("entry", c.entry().value()).put("at", c.at().toString());
            if (c.note() != null) {
                node.put("note", c.note());
            }
        }
        return out;
    }

    /** One line for an entry: {@code #12  user       Hello there}. */
    static String line(Entry e) {
        String who;
        String what;
        switch (e.payload()) {
            case Payload.MessagePayload m -> {
                who = m.message().role().wireName() + (m.message().name() == null ? "" : "(" + m.message().name() + ")");
                what = describe(m.message());
            }
            case Payload.Redacted r -> {
                who = r.role().wireName();
                what = "[redacted by " + r.by() + " at " + time(r.at()) + "]";
            }
            case Payload.StatePayload s -> {
                who = "state";
                what = "set " + s.set().keySet() + (s.removed().isEmpty() ? "" : " removed " + s.removed());
            }
            case Payload.SummaryPayload s -> {
                who = "summary";
                what = "of #" + s.from() + "..#" + s.to() + ": " + s.text();
            }
            case Payload.PinsPayload p -> {
                who = e.kind().name().toLowerCase(java.util.Locale.ROOT);
                what = "#" + p.target() + " (pinned: " + p.pins() + ")";
            }
        }
        return String.format("#%-5d %-10s %s", e.seq(), who, oneLine(what));
    }

    private static String describe(Message m) {
        StringBuilder out = new StringBuilder();
        for (Part p : m.parts()) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            switch (p) {
                case Part.Text t -> out.append(t.text());
                case Part.ToolCall c -> out.append("[call ").append(c.name()).append(' ').append(c.arguments()).append(" id=").append(c.id()).append(']');
                case Part.ToolResult r -> out.append("[result id=").append(r.callId()).append(r.isError() ? " error" : "").append("] ").append(r.content());
                case Part.ImageRef i -> out.append("[image ").append(i.url()).append(']');
                case Part.Opaque o -> out.append("[opaque ").append(o.provider()).append('/').append(o.model()).append(']');
            }
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > 200 ? flat.substring(0, 199) + "…" : flat;
    }
}
