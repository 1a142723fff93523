package dev.parley.tokens;

/**
 * Counts the tokens a model's tokenizer would make of a text. Implementations must be thread-safe and
 * deterministic: the same name and text always give the same count, because counts are cached by name
 * ({@link TokenCountCache}).
 *
 * <p>Built in: exact OpenAI encodings ({@link Tokenizers#o200kBase()}, {@link Tokenizers#cl100kBase()})
 * and an {@link EstimatingTokenizer} for every other model family. Plug in an exact tokenizer for
 * another family by implementing this interface.
 */
public interface Tokenizer {

    /**
     * Identifies the tokenizer and everything that changes its counts (for an estimator: its scale). Cached counts
     * are keyed by it, and a {@link MessageTokens} reads it once, when made: it must not change.
     */
    String name();

    /** The number of tokens in {@code text}; special-token markup such as {@code <|endoftext|>} counts as ordinary text. */
    int count(String text);
}
