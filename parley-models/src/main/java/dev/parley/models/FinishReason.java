package dev.parley.models;

/** Why the model stopped, in neutral terms; {@link ChatResponse#rawFinishReason()} keeps the provider's own word. */
public enum FinishReason {
    /** A natural end or a stop sequence. */
    STOP,
    /** The max-tokens limit (or the context window) cut the reply. */
    LENGTH,
    /** The model asks for tool calls. */
    TOOL_CALLS,
    /** A safety system withheld or cut the reply. */
    CONTENT_FILTER,
    /** Anything else (see the raw reason). */
    OTHER
}
