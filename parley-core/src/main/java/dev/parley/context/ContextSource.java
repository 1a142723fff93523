package dev.parley.context;

import dev.parley.domain.Message;
import dev.parley.tokens.MessageTokens;

import java.util.List;

/** Builds the context of one branch as it is now; what a {@link Quota} measures. See {@link ContextBuilder#source}. */
@FunctionalInterface
public interface ContextSource {

    /**
     * The context {@code policy} builds now, with {@code request} appended. With {@code summarise}
     * false a summarising policy never calls its summariser (for measuring without side effects).
     */
    Context build(ContextPolicy policy, MessageTokens tokens, List<Message> request, boolean summarise);
}
