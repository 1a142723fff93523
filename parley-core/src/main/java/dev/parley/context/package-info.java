/**
 * Context building: {@link dev.parley.context.ContextPolicy} (all, last messages, token budget, filtered,
 * summarising) applied by {@link dev.parley.context.ContextBuilder} at O(window) cost, and
 * {@link dev.parley.context.Quota} with the Chrome Prompt API's semantics (usage, window, levels,
 * overflow listener, {@link dev.parley.context.QuotaExceededException}).
 */
package dev.parley.context;
