package dev.parley.io;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Renders a path's messages in OpenAI Chat Completions form: the lingua franca most tools read.
 * Opaque provider parts are dropped (they only replay to their own model); a tool message with
 * several results becomes one OpenAI tool message per result.
 */
public final class OpenAiMessages {
    private OpenAiMessages() {
    }

    public static ArrayNode render(List<Message> messages) {
        ArrayNode out = ParleyJson.mapper().createArrayNode();
        for (Message m : messages) {
            if (!m.toolResults().isEmpty()) {
                for (Part.ToolResult r : m.toolResults()) {
                    out.addObject().put("role", "tool").put("tool_call_id", r.callId()).put("content", r.content());
                }
                continue;
            }
            ObjectNode node = out.addObject().put("role", m.role().wireName());
            if (m.name() != null) {
                node.put("name", m.name());
            }
            List<Part> visible = m.parts().stream()
                    .filter(p -> p instanceof Part.Text || p instanceof Part.ImageRef).toList();
            boolean onlyText = visible.stream().allMatch(Part.Text.class::isInstance);
            if (visible.isEmpty()) {
                node.putNull("content");
            } else if (onlyText) {
                StringBuilder text = new StringBuilder();
                visible.forEach(p -> text.append(((Part.Text) p).text()));
                node.put("content", text.toString());
            } else {
                ArrayNode content = node.putArray("content");
                for (Part p : visible) {
                    if (p instanceof Part.Text t) {
                        content.addObject().put("type", "text").put("text", t.text());
                    } else if (p instanceof Part.ImageRef i) {
                        content.addObject().put("type", "image_url").putObject("image_url").put("url", i.url());
                    }
                }
            }
            List<Part.ToolCall> calls = m.toolCalls();
            if (!calls.isEmpty()) {
                ArrayNode toolCalls = node.putArray("tool_calls");
                for (Part.ToolCall c : calls) {
                    ObjectNode call = toolCalls.addObject().put("id", c.id()).put("type", "function");
                    call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
                }
            }
        }
        return out;
    }
}
