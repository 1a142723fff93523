package dev.parley.models.chat;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation as plain text, one block per message ({@code USER: …}, {@code ASSISTANT calls tool …},
 * {@code TOOL RESULT …}), for a model asked to read it rather than continue it.
 */
final class Transcript {
    /** Metadata the context builder puts on the system message that renders a summary. */
    private static final String SUMMARY_METADATA = "parley.summary";
    /** The prefix the context builder gives that message's text; dropped so the transcript says it once. */
    private static final String SUMMARY_PREFIX = "Summary of the earlier conversation:\n";

    private Transcript() {
    }

    static String of(List<Message> messages) {
        Map<String, String> toolNames = new HashMap<>();
        StringBuilder out = new StringBuilder();
        for (Message message : messages) {
            for (String block : blocks(message, toolNames)) {
                if (!out.isEmpty()) {
                    out.append("\n\n");
                }
                out.append(block);
            }
        }
        return out.toString();
    }

    private static List<String> blocks(Message message, Map<String, String> toolNames) {
        if (message.role() == Role.SYSTEM && message.metadata().containsKey(SUMMARY_METADATA)) {
            String text = message.text();
            return List.of("EARLIER SUMMARY: " + (text.startsWith(SUMMARY_PREFIX) ? text.substring(SUMMARY_PREFIX.length()) : text));
        }
        String speaker = message.role().name() + (message.name() == null ? "" : " (" + message.name() + ")");
        StringBuilder text = new StringBuilder();
        List<String> out = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.ImageRef i -> text.append("[image").append(i.mediaType() == null ? "" : " " + i.mediaType()).append(']');
                case Part.ToolCall c -> {
                    toolNames.put(c.id(), c.name());
                    out.add(speaker + " calls tool " + c.name() + " (call " + c.id() + ") with "
                            + (c.arguments().isBlank() ? "{}" : c.arguments()));
                }
                case Part.ToolResult r -> out.add("TOOL " + (r.isError() ? "ERROR" : "RESULT") + " of "
                        + toolNames.getOrDefault(r.callId(), "a tool") + " (call " + r.callId() + "): " + r.content());
                case Part.Opaque o -> {
                    // provider artefacts (thinking blocks, signatures) are not part of what was said
                }
            }
        }
        if (!text.toString().isBlank()) {
            out.addFirst(speaker + ": " + text.toString().strip());
        }
        if (out.isEmpty()) {
            out.add(speaker + ": (no text)");
        }
        return out;
    }
}
