package dev.parley.models;

/**
 * Tokens a call consumed as the provider reported them. {@code inputTokens} counts the whole prompt,
 * cached parts included (Anthropic reports cache reads and writes separately; they are added here so the
 * number means the same for every provider).
 */
public record Usage(int inputTokens, int outputTokens) {
    public static final Usage ZERO = new Usage(0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative: input " + inputTokens + ", output " + outputTokens);
        }
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }
}
