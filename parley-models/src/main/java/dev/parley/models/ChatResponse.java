package dev.parley.models;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;

import java.util.List;
import java.util.Objects;

/**
 * A model's reply: the assistant message (text, tool calls and opaque provider parts, in the provider's order),
 * the usage, why it stopped, and the model that answered (as the provider named it).
 */
public record ChatResponse(Message message, Usage usage, FinishReason finishReason, String rawFinishReason, String model) {

    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(finishReason, "finishReason");
        if (message.role() != Role.ASSISTANT) {
            throw new IllegalArgumentException("a reply is an assistant message, not " + message.role().wireName());
        }
    }

    /** The reply's text parts, concatenated. */
    public String text() {
        return message.text();
    }

    public List<Part.ToolCall> toolCalls() {
        return message.toolCalls();
    }

    public boolean hasToolCalls() {
        return !message.toolCalls().isEmpty();
    }
}
