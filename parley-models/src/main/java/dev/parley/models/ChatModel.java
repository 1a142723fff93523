package dev.parley.models;

/**
 * A chat model behind one provider's API: renders the neutral history ({@link dev.parley.domain.Message})
 * to the provider's wire format, calls it, and maps the reply back.
 *
 * <pre>{@code
 * try (ChatModel model = OpenAiChatModel.fromEnvironment()) {
 *     ChatResponse reply = model.chat(ChatRequest.of("gpt-4o-mini", List.of(Message.user("Hello"))));
 *     System.out.println(reply.text());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: share one instance. Failures are {@link ModelException}s; retriable ones
 * have already been retried by the adapter's {@link RetryPolicy} when they reach the caller.
 */
public interface ChatModel extends AutoCloseable {

    /**
     * The provider's name, e.g. {@code "openai"}, {@code "anthropic"}, {@code "gemini"} or {@code "ollama"}: the
     * {@code provider} of the {@link dev.parley.domain.Part.Opaque} parts this model produces and accepts back.
     */
    String provider();

    /** Calls the model and waits for the whole reply. */
    ChatResponse chat(ChatRequest request);

    /**
     * Calls the model and delivers the reply as it is generated. Returns at once; the handler's callbacks run
     * on the stream's own thread, in order, never concurrently. Retriable failures before anything reached the
     * handler are retried; later ones end the stream with {@link StreamHandler#onError}.
     */
    ChatStream stream(ChatRequest request, StreamHandler handler);

    /**
     * Releases the HTTP client this model created (not one passed to its builder): new calls are refused, calls in
     * flight may finish. Does not block. Idempotent.
     */
    @Override
    default void close() {
    }

    /**
     * The exact JSON body this model would send for {@code request}: what {@code messagesFor(provider)}
     * shows. Adapters that cannot render without sending refuse.
     */
    default String renderRequest(ChatRequest request) {
        throw new dev.parley.InvalidInputException("provider", provider() + " cannot render requests without sending them");
    }
}
