package dev.parley.models.internal;

/** How a provider frames a streamed reply on the wire. */
public enum StreamFraming {
    /** {@code text/event-stream}: {@code data:} lines, events separated by an empty line (OpenAI, Anthropic, Gemini). */
    SERVER_SENT_EVENTS("text/event-stream"),
    /** One JSON object per line, {@code application/x-ndjson} (Ollama's native API). */
    JSON_LINES("application/x-ndjson");

    private final String mediaType;

    StreamFraming(String mediaType) {
        this.mediaType = mediaType;
    }

    /** What the request's {@code accept} header asks for. */
    public String mediaType() {
        return mediaType;
    }
}
