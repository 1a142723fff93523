package dev.parley.models.chat;

import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.models.ChatResponse;
import dev.parley.models.Usage;

import java.util.List;

/**
 * A finished turn.
 *
 * @param reply     the model's final reply as the caller sees it (restored by the privacy layer)
 * @param appended  the entries written: a summary if the policy made one, the user message, tool calls
 *                  and results, the reply — as stored (sanitised)
 * @param usage     tokens of every model call of the turn (tool rounds included)
 * @param branch    where the turn landed (a new {@code turn/…} branch under {@link AdmissionPolicy#BRANCH})
 * @param provider  the provider that answered
 * @param response  the provider's final response, as received
 */
public record TurnResult(Message reply, List<Entry> appended, Usage usage, String branch, String provider,
                         ChatResponse response) {
    public TurnResult {
        appended = List.copyOf(appended);
    }

    public String text() {
        return reply.text();
    }
}
