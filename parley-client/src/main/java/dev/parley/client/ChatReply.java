package dev.parley.client;

import dev.parley.domain.Entry;
import dev.parley.domain.Message;

import java.util.List;

/**
 * A finished chat turn on the server: the model's reply (restored, if the session is sanitised), the entries the
 * turn appended (the user's message and the reply, plus tool calls and results), the tokens the provider reported,
 * and which branch, provider and model it ran on.
 */
public record ChatReply(Message reply, List<Entry> entries, long inputTokens, long outputTokens, String branch,
                        String provider, String model) {
    public ChatReply {
        entries = List.copyOf(entries);
    }

    /** The reply's text. */
    public String text() {
        return reply.text();
    }
}
