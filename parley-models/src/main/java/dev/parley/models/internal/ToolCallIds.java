package dev.parley.models.internal;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for the tool calls of providers whose wire format has none (Gemini, Ollama): the neutral history pairs each
 * result with its call by id. Random rather than counted: a counter restarts with the process (or with a shorter
 * context window), and a history that later goes to Anthropic must not carry the same {@code tool_use} id twice.
 */
public final class ToolCallIds {
    private ToolCallIds() {
    }

    /** {@code <provider>-call-<16 hex digits>}, e.g. {@code gemini-call-3f9a0c2b71d4e8a6}. */
    public static String generate(String provider) {
        return provider + "-call-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
