package dev.parley.tokens;

import dev.parley.InvalidInputException;

/**
 * The tokens a provider adds around messages, beyond the tokens of their text.
 *
 * @param perMessage   per message, its role included ({@code <|start|>role<|message|>…<|end|>})
 * @param perName      for a message's author name, beyond the name's own tokens
 * @param perToolCall  for each tool call, beyond the tokens of its id, name and arguments
 * @param perImage     for each image (providers charge by size, which a URL does not tell)
 * @param replyPriming once per request, for the header of the reply the model is about to write
 */
public record Framing(int perMessage, int perName, int perToolCall, int perImage, int replyPriming) {

    /**
     * OpenAI's chat framing as published in its token-counting guide: 3 tokens per message plus 1 for
     * the role, 1 per name, 3 to prime the reply. Tool-call framing is not published; 3 per call is an
     * approximation. Images count as a 1024×1024 high-detail image (85 + 4 × 170 tokens). Used for
     * every family until a provider documents its own.
     */
    public static final Framing OPENAI = new Framing(4, 1, 3, 765, 3);

    public Framing {
        requireNonNegative("perMessage", perMessage);
        requireNonNegative("perName", perName);
        requireNonNegative("perToolCall", perToolCall);
        requireNonNegative("perImage", perImage);
        requireNonNegative("replyPriming", replyPriming);
    }

    private static void requireNonNegative(String field, int value) {
        if (value < 0) {
            throw new InvalidInputException(field, field + " must be >= 0: " + value);
        }
    }
}
