package dev.parley.models.tools;

import dev.parley.ParleyException;
import dev.parley.domain.Message;
import dev.parley.models.Usage;

import java.util.List;

/**
 * The model kept asking for tools after the loop's bound on rounds. Carries what was produced so far (the calls
 * and results of every round, the last request for tools unanswered) and the usage spent, so a caller can show
 * or record it; the engine appends nothing for a failed turn.
 */
public final class ToolLoopLimitException extends ParleyException {
    private final int maxRounds;
    private final List<Message> messages;
    private final Usage usage;

    public ToolLoopLimitException(int maxRounds, List<Message> messages, Usage usage, String lastCalls) {
        super("the model still asked for tools (" + lastCalls + ") after " + maxRounds
                + " rounds of tool calls, the loop's bound (maxRounds)");
        this.maxRounds = maxRounds;
        this.messages = List.copyOf(messages);
        this.usage = usage;
    }

    public int maxRounds() {
        return maxRounds;
    }

    public List<Message> messages() {
        return messages;
    }

    public Usage usage() {
        return usage;
    }
}
