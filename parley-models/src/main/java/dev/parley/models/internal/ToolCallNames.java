package dev.parley.models.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;

import java.util.HashMap;
import java.util.Map;

/**
 * For providers that pair a tool result with its call by the function's name rather than an id (Gemini, Ollama):
 * remembers, message by message in history order, which function each call id named.
 */
public final class ToolCallNames {
    private final String provider;
    private final Map<String, String> names = new HashMap<>();

    public ToolCallNames(String provider) {
        this.provider = provider;
    }

    /** Notes the calls of a message; call it for every message, in order, before resolving later results. */
    public void record(Message message) {
        for (Part.ToolCall call : message.toolCalls()) {
            names.put(call.id(), call.name());
        }
    }

    /** The function a result answers; a result whose call is not earlier in the history cannot be rendered. */
    public String nameOf(Part.ToolResult result) {
        String name = names.get(result.callId());
        if (name == null) {
            throw new InvalidInputException("tool result", provider + ": the tool result for call '" + result.callId()
                    + "' answers no earlier tool call of the history (" + provider
                    + " pairs results with calls by function name, so the call must be sent too)");
        }
        return name;
    }
}
