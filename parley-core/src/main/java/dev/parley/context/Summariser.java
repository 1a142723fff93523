package dev.parley.context;

import dev.parley.domain.Message;

import java.util.List;

/**
 * Condenses older messages for {@link ContextPolicy#summarising}. When a session already has a summary,
 * its text arrives first (as a system message), so each new summary covers the whole conversation up
 * to its end and the latest summary is the only one a context needs. A model-backed implementation
 * lives with the model adapters; {@link DeterministicSummariser} serves tests.
 */
@FunctionalInterface
public interface Summariser {

    /** A summary of {@code messages} (oldest first, never empty, tool calls kept with their results). */
    Summary summarise(List<Message> messages);
}
