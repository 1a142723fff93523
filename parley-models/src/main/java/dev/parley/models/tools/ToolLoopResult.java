package dev.parley.models.tools;

import dev.parley.domain.Message;
import dev.parley.models.ChatResponse;
import dev.parley.models.Usage;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ToolLoop} run produced, for the engine to append together: every assistant message (tool calls
 * and the final reply) and every tool message, in order; the final response; the usage of all model calls
 * summed; and how many rounds of tool calls ran.
 */
public record ToolLoopResult(List<Message> messages, ChatResponse finalResponse, Usage usage, int toolRounds) {
    public ToolLoopResult {
        messages = List.copyOf(messages);
        Objects.requireNonNull(finalResponse, "finalResponse");
        Objects.requireNonNull(usage, "usage");
    }
}
