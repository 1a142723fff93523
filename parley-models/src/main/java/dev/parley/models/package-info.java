/**
 * The neutral model API: {@link dev.parley.models.ChatModel} (sync and streamed calls), its request and reply
 * ({@link dev.parley.models.ChatRequest}, {@link dev.parley.models.ChatResponse}, {@link dev.parley.models.ModelParams},
 * {@link dev.parley.models.ToolSpec}), the typed failures ({@link dev.parley.models.ModelException}, grouped by
 * whether a retry can help) and the {@link dev.parley.models.RetryPolicy} adapters apply to them.
 *
 * <p>History is the core's {@link dev.parley.domain.Message}; each adapter renders it to its provider's wire format
 * and back. Adapters: {@link dev.parley.models.openai.OpenAiChatModel} (OpenAI and every compatible server),
 * {@link dev.parley.models.anthropic.AnthropicChatModel}, {@link dev.parley.models.gemini.GeminiChatModel} and
 * {@link dev.parley.models.ollama.OllamaChatModel} (Ollama's native API). Tools: {@link dev.parley.models.tools}.
 */
package dev.parley.models;
