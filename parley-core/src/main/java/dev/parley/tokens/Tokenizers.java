package dev.parley.tokens;

import dev.parley.InvalidInputException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in tokenizers and the table from model names to them.
 *
 * <table>
 *   <caption>model name (case-insensitive, after any {@code provider/} prefix) → tokenizer</caption>
 *   <tr><td>{@code gpt-4o*}, {@code chatgpt-4o*}, {@code gpt-4.1*}, {@code gpt-4.5*}, {@code gpt-5*}, {@code gpt-oss*},
 *       {@code o1}, {@code o3}, {@code o4} and their {@code -…} variants</td><td>{@code o200k_base} (exact)</td></tr>
 *   <tr><td>{@code gpt-4*}, {@code gpt-3.5*}, {@code text-embedding-3*}, {@code text-embedding-ada-002}</td>
 *       <td>{@code cl100k_base} (exact)</td></tr>
 *   <tr><td>anything else</td><td>{@link EstimatingTokenizer#standard()}</td></tr>
 * </table>
 */
public final class Tokenizers {

    private record Rule(Pattern pattern, Tokenizer tokenizer) {
    }

    // Order matters: the o200k families are tested before the cl100k "gpt-4" catch-all.
    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("(chatgpt-4o|gpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|gpt-oss).*"), EncodingTokenizer.O200K_BASE),
            new Rule(Pattern.compile("o[134](-.*)?"), EncodingTokenizer.O200K_BASE),
            new Rule(Pattern.compile("(gpt-4|gpt-3\\.5|text-embedding-3|text-embedding-ada-002).*"), EncodingTokenizer.CL100K_BASE));

    private Tokenizers() {
    }

    /** The exact encoding of the GPT-4o, GPT-4.1, GPT-5 and o-series families. */
    public static Tokenizer o200kBase() {
        return EncodingTokenizer.O200K_BASE;
    }

    /** The exact encoding of the GPT-4 and GPT-3.5 families. */
    public static Tokenizer cl100kBase() {
        return EncodingTokenizer.CL100K_BASE;
    }

    /** The tokenizer for a model: exact for the OpenAI families in the table, the uncalibrated estimator otherwise. */
    public static Tokenizer forModel(String model) {
        return exactFor(model).orElse(EstimatingTokenizer.standard());
    }

    /** The exact tokenizer for a model, if it belongs to a family with a known encoding. */
    public static Optional<Tokenizer> exactFor(String model) {
        String normalized = normalize(model);
        return RULES.stream().filter(r -> r.pattern().matcher(normalized).matches()).map(Rule::tokenizer).findFirst();
    }

    /** Lower-cased, without a router's {@code provider/} prefix ({@code openai/gpt-4o}, {@code models/gemini-2.5-pro}). */
    static String normalize(String model) {
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", "model is required");
        }
        String lower = model.strip().toLowerCase(Locale.ROOT);
        return lower.substring(lower.lastIndexOf('/') + 1);
    }
}
