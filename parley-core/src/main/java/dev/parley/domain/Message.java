package dev.parley.domain;

import dev.parley.InvalidInputException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a conversation: a role, its parts, an optional author name (a person or an agent)
 * and free-form string metadata. Immutable.
 *
 * <p>Structural rules are checked here so no store ever holds a malformed message: tool calls only
 * in assistant messages, tool results only (and always) in tool messages, at least one part.
 */
public record Message(Role role, List<Part> parts, String name, Map<String, String> metadata) {

    public Message {
        if (role == null) {
            throw new InvalidInputException("role", "role is required");
        }
        parts = List.copyOf(Objects.requireNonNullElse(parts, List.of()));
        metadata = Map.copyOf(Objects.requireNonNullElse(metadata, Map.of()));
        if (parts.isEmpty()) {
            throw new InvalidInputException("parts", "a " + role.wireName() + " message needs at least one part");
        }
        if (name != null && (name.isBlank() || name.length() > 128)) {
            throw new InvalidInputException("name", "name must be 1-128 characters when given");
        }
        Unicode.requireWellFormed("name", name);
        metadata.forEach((key, value) -> {
            Unicode.requireWellFormed("metadata key", key);
            if (Unicode.unpairedSurrogate(value) >= 0) {
                Unicode.requireWellFormed("metadata." + key, value);
            }
        });
        for (Part part : parts) {
            switch (part) {
                case Part.ToolCall c when role != Role.ASSISTANT ->
                        throw new InvalidInputException("parts", "tool calls belong in assistant messages, not " + role.wireName());
                case Part.ToolResult r when role != Role.TOOL ->
                        throw new InvalidInputException("parts", "tool results belong in tool messages, not " + role.wireName());
                default -> {
                }
            }
        }
        if (role == Role.TOOL && parts.stream().noneMatch(p -> p instanceof Part.ToolResult)) {
            throw new InvalidInputException("parts", "a tool message must carry a tool result");
        }
    }

    public static Message of(Role role, String text) {
        return new Message(role, List.of(new Part.Text(Objects.requireNonNull(text, "text"))), null, Map.of());
    }

    public static Message system(String text) {
        return of(Role.SYSTEM, text);
    }

    public static Message user(String text) {
        return of(Role.USER, text);
    }

    public static Message assistant(String text) {
        return of(Role.ASSISTANT, text);
    }

    /** An assistant message asking for tool calls (optionally with some text before them). */
    public static Message toolCalls(List<Part.ToolCall> calls) {
        return new Message(Role.ASSISTANT, List.copyOf(calls), null, Map.of());
    }

    /** A tool message answering one call. */
    public static Message toolResult(String callId, String content) {
        return new Message(Role.TOOL, List.of(new Part.ToolResult(callId, content, false)), null, Map.of());
    }

    public Message withName(String newName) {
        return new Message(role, parts, newName, metadata);
    }

    public Message withMetadata(Map<String, String> newMetadata) {
        return new Message(role, parts, name, newMetadata);
    }

    /** The concatenated text parts (tool results' content included), for display and token counting. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Part.Text t -> out.append(t.text());
                case Part.ToolResult r -> out.append(r.content());
                default -> {
                }
            }
        }
        return out.toString();
    }

    /** The tool calls this message makes, in order. */
    public List<Part.ToolCall> toolCalls() {
        return parts.stream().filter(Part.ToolCall.class::isInstance).map(Part.ToolCall.class::cast).toList();
    }

    /** The tool results this message carries, in order. */
    public List<Part.ToolResult> toolResults() {
        return parts.stream().filter(Part.ToolResult.class::isInstance).map(Part.ToolResult.class::cast).toList();
    }
}
