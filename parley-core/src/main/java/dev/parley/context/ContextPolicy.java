package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.domain.Entry;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which part of a session's history a model is sent.
 *
 * <p>Every policy keeps the system prompt and initial prompts, the pinned entries and the latest
 * summary; what they choose is the window of recent history after the latest summary. They never
 * separate an assistant's tool calls from the tool messages answering them: a window edge that would
 * cut such a group leaves the whole group out. Building a context costs O(window), not O(history).
 */
public sealed interface ContextPolicy {

    /** The whole history after the latest summary. */
    static ContextPolicy all() {
        return All.INSTANCE;
    }

    /** The most recent {@code n} messages of history (the request being sent and the kept entries not counted). */
    static ContextPolicy lastMessages(int n) {
        return new LastMessages(n);
    }

    /**
     * As much recent history as fits in {@code maxTokens - reserveForReply} tokens, counting the kept
     * entries and the request first.
     */
    static ContextPolicy tokenBudget(int maxTokens, int reserveForReply) {
        return new TokenBudget(maxTokens, reserveForReply);
    }

    /** The history entries {@code predicate} accepts; a tool-call group only if it accepts every message of it. */
    static ContextPolicy filtered(Predicate<Entry> predicate) {
        return new Filtered(predicate, all());
    }

    /** {@code then}, applied to the history entries {@code predicate} accepts. */
    static ContextPolicy filtered(Predicate<Entry> predicate, ContextPolicy then) {
        return new Filtered(predicate, then);
    }

    /**
     * The whole history after the latest summary while the context stays within {@code triggerTokens};
     * beyond that, everything older than the {@code keepRecent} most recent messages is summarised by
     * {@code summariser}. The summary comes back as an entry to append (see
     * {@link Context#summaryToAppend()}); once appended, later contexts use it instead of that range.
     */
    static ContextPolicy summarising(int triggerTokens, int keepRecent, Summariser summariser) {
        return new Summarising(triggerTokens, keepRecent, summariser);
    }

    /** See {@link ContextPolicy#all()}. */
    record All() implements ContextPolicy {
        static final All INSTANCE = new All();
    }

    /** See {@link ContextPolicy#lastMessages(int)}. */
    record LastMessages(int n) implements ContextPolicy {
        public LastMessages {
            if (n < 1) {
                throw new InvalidInputException("n", "lastMessages needs n >= 1: " + n);
            }
        }
    }

    /** See {@link ContextPolicy#tokenBudget(int, int)}. */
    record TokenBudget(int maxTokens, int reserveForReply) implements ContextPolicy {
        public TokenBudget {
            if (maxTokens < 1) {
                throw new InvalidInputException("maxTokens", "tokenBudget needs maxTokens >= 1: " + maxTokens);
            }
            if (reserveForReply < 0 || reserveForReply >= maxTokens) {
                throw new InvalidInputException("reserveForReply", "tokenBudget needs 0 <= reserveForReply < maxTokens ("
                        + maxTokens + "): " + reserveForReply);
            }
        }

        /** Tokens the context itself may use. */
        public int promptTokens() {
            return maxTokens - reserveForReply;
        }
    }

    /** See {@link ContextPolicy#filtered(Predicate, ContextPolicy)}. */
    record Filtered(Predicate<Entry> predicate, ContextPolicy then) implements ContextPolicy {
        public Filtered {
            if (predicate == null) {
                throw new InvalidInputException("predicate", "filtered needs a predicate");
            }
            Objects.requireNonNull(then, "then");
        }
    }

    /** See {@link ContextPolicy#summarising(int, int, Summariser)}. */
    record Summarising(int triggerTokens, int keepRecent, Summariser summariser) implements ContextPolicy {
        public Summarising {
            if (triggerTokens < 1) {
                throw new InvalidInputException("triggerTokens", "summarising needs triggerTokens >= 1: " + triggerTokens);
            }
            if (keepRecent < 0) {
                throw new InvalidInputException("keepRecent", "summarising needs keepRecent >= 0: " + keepRecent);
            }
            if (summariser == null) {
                throw new InvalidInputException("summariser", "summarising needs a summariser");
            }
        }
    }
}
