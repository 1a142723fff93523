package dev.parley.models.internal;

import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;

import java.util.function.Consumer;

/** Turns one provider's streamed events into text deltas and, at the end, the whole reply. One per stream. */
public interface StreamDecoder {

    /**
     * Consumes one event (with {@link StreamFraming#JSON_LINES}, one line as an event without a name), passing any
     * visible text to {@code text}; returns true when the provider said the reply is complete. Throws a
     * {@link ModelException} for an error event or a malformed one.
     */
    boolean accept(SseEvent event, Consumer<String> text);

    /** The assembled reply; {@code completed} tells whether the provider's end marker arrived before the body ended. */
    ChatResponse finish(boolean completed);
}
