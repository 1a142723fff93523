package dev.parley.models;

import dev.parley.domain.Part;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives a streamed reply. Text arrives as it is generated; tool calls are assembled from their partial
 * argument deltas by the adapter and delivered whole, after the text and before {@link #onComplete}.
 * Exactly one of {@code onComplete} / {@code onError} ends a stream that was not cancelled.
 */
public interface StreamHandler {

    /** The next piece of the reply's visible text, in order. */
    void onText(String delta);

    /** A complete tool call of the reply. */
    default void onToolCall(Part.ToolCall call) {
    }

    /** The whole reply: its message's text equals the concatenation of every {@link #onText} delta. */
    default void onComplete(ChatResponse response) {
    }

    default void onError(ModelException error) {
    }

    /** A handler that only wants the text (the end is read from {@link ChatStream#result()}). */
    static StreamHandler onText(Consumer<String> text) {
        Objects.requireNonNull(text, "text");
        return text::accept;
    }
}
