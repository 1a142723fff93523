package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads messages from request bodies: {@code {role, content | parts, name?, toolCallId?, metadata?}}. {@code content}
 * is text (for a tool message, the result of the call {@code toolCallId} names); {@code parts} is the full form
 * ({@code [{"type": "text" | "tool_call" | "tool_result" | "image", …}]}), as messages are exported.
 */
final class MessageBodies {
    static final String[] FIELDS = {"role", "content", "parts", "name", "toolCallId", "metadata"};

    private MessageBodies() {
    }

    static Message parse(Body body) {
        boolean content = body.present("content");
        boolean parts = body.present("parts");
        if (content == parts) {
            throw new InvalidInputException(body.name("content"), body.name("content") + " or " + body.name("parts")
                    + ": a message needs either content (text) or parts, not " + (content ? "both" : "neither"));
        }
        ObjectNode node = ParleyJson.object();
        node.put("role", body.string("role"));
        if (content) {
            String text = body.string("content");
            String callId = body.optString("toolCallId");
            ArrayNode array = node.putArray("parts");
            if (callId != null) {
                array.addObject().put("type", "tool_result").put("call_id", callId).put("content", text);
            } else {
                array.addObject().put("type", "text").put("text", text);
            }
        } else {
            if (body.has("toolCallId")) {
                throw new InvalidInputException(body.name("toolCallId"), body.name("toolCallId")
                        + " goes with content; with parts, give a tool_result part");
            }
            JsonNode given = body.raw("parts");
            if (given == null || !given.isArray()) {
                throw new InvalidInputException(body.name("parts"), body.name("parts") + " must be an array of parts");
            }
            node.set("parts", given);
        }
        if (body.has("name")) {
            node.put("name", body.string("name"));
        }
        if (body.has("metadata")) {
            node.set("metadata", ParleyJson.stringMap(body.stringMap("metadata")));
        }
        if (body.path().isEmpty()) {
            return ParleyJson.message(node, "message");
        }
        try {
            return ParleyJson.message(node, body.path());
        } catch (InvalidInputException e) {
            // The domain names a message's own fields ("role"); in an array the caller needs which message: messages[1].role.
            if (e.field() == null || e.field().startsWith(body.path())) {
                throw e;
            }
            String field = body.name(e.field());
            throw new InvalidInputException(field, e.getMessage().startsWith(e.field())
                    ? field + e.getMessage().substring(e.field().length()) : field + ": " + e.getMessage());
        }
    }

    /** A list of messages, each read like {@link #parse}; {@code field} names the array in errors. */
    static List<Message> parseAll(JsonNode array, String field) {
        if (array == null || !array.isArray()) {
            throw new InvalidInputException(field, field + " must be an array of messages");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(parse(Body.of(array.get(i), field + "[" + i + "]").only(FIELDS)));
        }
        return out;
    }
}
