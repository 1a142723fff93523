package dev.parley.domain;

import dev.parley.InvalidInputException;

import java.util.Objects;

/** One piece of a message's content. Closed: text, tool call, tool result, image reference, opaque provider part. */
public sealed interface Part {

    /** Plain text. */
    record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
            Unicode.requireWellFormed("text", text);
        }
    }

    /**
     * A model's request to call a tool. {@code arguments} is the JSON text the model produced,
     * kept verbatim (models sometimes emit invalid JSON, and the tool loop must see what they sent).
     */
    record ToolCall(String id, String name, String arguments) implements Part {
        public ToolCall {
            requireText("tool call id", id);
            requireText("tool name", name);
            Objects.requireNonNull(arguments, "arguments");
            Unicode.requireWellFormed("arguments", arguments);
        }
    }

    /** The result of a tool call, answering the call with the same id. */
    record ToolResult(String callId, String content, boolean isError) implements Part {
        public ToolResult {
            requireText("tool call id", callId);
            Objects.requireNonNull(content, "content");
            Unicode.requireWellFormed("content", content);
        }
    }

    /** An image the model should see, by URL (including {@code data:} URLs). */
    record ImageRef(String url, String mediaType) implements Part {
        public ImageRef {
            requireText("image url", url);
            Unicode.requireWellFormed("media type", mediaType);
        }
    }

    /**
     * A provider artefact that must be replayed verbatim to the same model and is dropped for any other
     * (Anthropic thinking blocks with signatures, Gemini thought signatures, OpenAI reasoning items).
     */
    record Opaque(String provider, String model, String json) implements Part {
        public Opaque {
            requireText("opaque provider", provider);
            requireText("opaque model", model);
            Objects.requireNonNull(json, "json");
            Unicode.requireWellFormed("json", json);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        Unicode.requireWellFormed(field, value);
    }
}
