package dev.parley.tokens;

import dev.parley.domain.Message;
import dev.parley.domain.Part;

import java.util.List;
import java.util.Objects;

/**
 * Counts whole messages as a provider bills them: the tokens of their text, tool calls (id, name,
 * arguments) and tool results (call id, content), plus the provider's {@link Framing}. Opaque provider
 * parts count only when they are replayed, that is for the model they came from. Metadata is never
 * sent, so never counted. Immutable and thread-safe.
 */
public final class MessageTokens {
    private final Tokenizer tokenizer;
    private final Framing framing;
    private final String model;
    /**
     * Built once: a context asks the {@link TokenCountCache} for each of its entries, and building this string
     * (the framing's record form included) cost more than the cache lookup it keys.
     */
    private final String cacheKey;

    private MessageTokens(Tokenizer tokenizer, Framing framing, String model) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.model = model;
        this.cacheKey = tokenizer.name() + '|' + framing + '|' + Objects.requireNonNullElse(model, "");
    }

    /** Counts with {@code tokenizer} and OpenAI's framing, for no model in particular (opaque parts count nothing). */
    public static MessageTokens of(Tokenizer tokenizer) {
        return new MessageTokens(tokenizer, Framing.OPENAI, null);
    }

    public static MessageTokens of(Tokenizer tokenizer, Framing framing, String model) {
        return new MessageTokens(tokenizer, framing, model == null ? null : Tokenizers.normalize(model));
    }

    /** Counts for {@code model}, with the tokenizer of {@link Tokenizers#forModel(String)}. */
    public static MessageTokens forModel(String model) {
        return of(Tokenizers.forModel(model), Framing.OPENAI, model);
    }

    /** Counts for {@code model}, with the tokenizer {@code calibration} currently holds for its family. */
    public static MessageTokens forModel(String model, Calibration calibration) {
        return of(calibration.tokenizerFor(model), Framing.OPENAI, model);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Framing framing() {
        return framing;
    }

    /** The tokens of one message in a request, framing included (reply priming excluded). */
    public int count(Message message) {
        Objects.requireNonNull(message, "message");
        int total = framing.perMessage();
        if (message.name() != null) {
            total += framing.perName() + tokenizer.count(message.name());
        }
        for (Part part : message.parts()) {
            total += switch (part) {
                case Part.Text t -> tokenizer.count(t.text());
                case Part.ToolCall c -> framing.perToolCall() + tokenizer.count(c.id()) + tokenizer.count(c.name())
                        + tokenizer.count(c.arguments());
                case Part.ToolResult r -> tokenizer.count(r.callId()) + tokenizer.count(r.content());
                case Part.ImageRef i -> framing.perImage();
                case Part.Opaque o -> model != null && Tokenizers.normalize(o.model()).equals(model) ? tokenizer.count(o.json()) : 0;
            };
        }
        return total;
    }

    /** The tokens of a whole request: its messages plus the reply priming. */
    public int count(List<Message> messages) {
        int total = framing.replyPriming();
        for (Message message : messages) {
            total += count(message);
        }
        return total;
    }

    /** Added once per request, for the header of the reply. */
    public int replyPriming() {
        return framing.replyPriming();
    }

    /** What makes two counters count alike: cached counts are shared under equal keys. */
    String cacheKey() {
        return cacheKey;
    }

    @Override
    public String toString() {
        return "MessageTokens[" + cacheKey() + "]";
    }
}
