package dev.parley.context;

import dev.parley.InvalidInputException;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Context windows of well-known models, in tokens, as their providers documented them in 2025.
 * A name matches the longest entry it starts with when what follows is a snapshot or variant suffix
 * ({@code gpt-4o-2024-08-06}, {@code claude-3-5-sonnet-20241022}, {@code gemini-2.5-pro-preview-06-05},
 * {@code claude-sonnet-4-5@20250929}) but not a newer version ({@code gpt-5.1}, {@code claude-sonnet-4-6}):
 * a model the table does not know, such as one released later, needs a configured window.
 *
 * <table>
 *   <caption>the table</caption>
 *   <tr><td>OpenAI</td><td>gpt-3.5-turbo 16,385 · gpt-4 8,192 · gpt-4-32k 32,768 · gpt-4-turbo, gpt-4-1106-preview,
 *       gpt-4-0125-preview, gpt-4o, gpt-4o-mini, chatgpt-4o-latest, gpt-4.5-preview, o1-mini, o1-preview 128,000 ·
 *       gpt-oss 131,072 · o1, o1-pro, o3, o3-mini, o3-pro, o4-mini 200,000 · gpt-5, gpt-5-mini, gpt-5-nano 400,000 ·
 *       gpt-5-chat-latest 128,000 · gpt-4.1, gpt-4.1-mini, gpt-4.1-nano 1,047,576</td></tr>
 *   <tr><td>Anthropic</td><td>claude-3-haiku, claude-3-sonnet, claude-3-opus, claude-3-5-haiku, claude-3-5-sonnet,
 *       claude-3-7-sonnet, claude-sonnet-4, claude-opus-4, claude-opus-4-1, claude-sonnet-4-5, claude-haiku-4-5
 *       200,000 (the 1M-token beta of some models needs a configured window)</td></tr>
 *   <tr><td>Google</td><td>gemini-1.5-flash, gemini-1.5-flash-8b, gemini-2.0-flash, gemini-2.0-flash-lite,
 *       gemini-2.5-pro, gemini-2.5-flash, gemini-2.5-flash-lite 1,048,576 · gemini-1.5-pro 2,097,152</td></tr>
 * </table>
 */
public final class ContextWindows {
    private static final Pattern VERSION_SUFFIX = Pattern.compile("[-.]\\d{1,2}([-.@:].*)?|\\..*");
    private static final Pattern SUFFIX = Pattern.compile("[-@:].*");

    private static final Map<String, Integer> KNOWN = Map.ofEntries(
            Map.entry("gpt-3.5-turbo", 16_385),
            Map.entry("gpt-4", 8_192),
            Map.entry("gpt-4-32k", 32_768),
            Map.entry("gpt-4-turbo", 128_000),
            Map.entry("gpt-4-1106-preview", 128_000),
            Map.entry("gpt-4-0125-preview", 128_000),
            Map.entry("gpt-4o", 128_000),
            Map.entry("gpt-4o-mini", 128_000),
            Map.entry("chatgpt-4o-latest", 128_000),
            Map.entry("gpt-4.5-preview", 128_000),
            Map.entry("gpt-4.1", 1_047_576),
            Map.entry("gpt-4.1-mini", 1_047_576),
            Map.entry("gpt-4.1-nano", 1_047_576),
            Map.entry("gpt-5", 400_000),
            Map.entry("gpt-5-mini", 400_000),
            Map.entry("gpt-5-nano", 400_000),
            Map.entry("gpt-5-chat-latest", 128_000),
            Map.entry("gpt-oss", 131_072),
            Map.entry("o1", 200_000),
            Map.entry("o1-mini", 128_000),
            Map.entry("o1-preview", 128_000),
            Map.entry("o1-pro", 200_000),
            Map.entry("o3", 200_000),
            Map.entry("o3-mini", 200_000),
            Map.entry("o3-pro", 200_000),
            Map.entry("o4-mini", 200_000),
            Map.entry("claude-3-haiku", 200_000),
            Map.entry("claude-3-sonnet", 200_000),
            Map.entry("claude-3-opus", 200_000),
            Map.entry("claude-3-5-haiku", 200_000),
            Map.entry("claude-3-5-sonnet", 200_000),
            Map.entry("claude-3-7-sonnet", 200_000),
            Map.entry("claude-sonnet-4", 200_000),
            Map.entry("claude-opus-4", 200_000),
            Map.entry("claude-opus-4-1", 200_000),
            Map.entry("claude-sonnet-4-5", 200_000),
            Map.entry("claude-haiku-4-5", 200_000),
            Map.entry("gemini-1.5-pro", 2_097_152),
            Map.entry("gemini-1.5-flash", 1_048_576),
            Map.entry("gemini-1.5-flash-8b", 1_048_576),
            Map.entry("gemini-2.0-flash", 1_048_576),
            Map.entry("gemini-2.0-flash-lite", 1_048_576),
            Map.entry("gemini-2.5-pro", 1_048_576),
            Map.entry("gemini-2.5-flash", 1_048_576),
            Map.entry("gemini-2.5-flash-lite", 1_048_576));

    private ContextWindows() {
    }

    /** The window of {@code model} if the table knows it (case-insensitive; a {@code provider/} prefix is ignored). */
    public static OptionalInt of(String model) {
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", "model is required");
        }
        String lower = model.strip().toLowerCase(Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        String best = null;
        for (String known : KNOWN.keySet()) {
            if (name.startsWith(known) && (best == null || known.length() > best.length())) {
                String rest = name.substring(known.length());
                if (rest.isEmpty() || (SUFFIX.matcher(rest).matches() && !VERSION_SUFFIX.matcher(rest).matches())) {
                    best = known;
                }
            }
        }
        return best == null ? OptionalInt.empty() : OptionalInt.of(KNOWN.get(best));
    }

    /** The window of {@code model}; an error naming the model if the table does not know it. */
    public static int require(String model) {
        return of(model).orElseThrow(() -> new InvalidInputException("context window", "no context window is known for model "
                + quote(model.strip()) + "; configure one with contextWindow(tokens)"));
    }

    /** A model name fit for an error message: control characters escaped, long names cut. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("'");
        value.codePoints().limit(64).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        out.append('\'');
        if (value.codePointCount(0, value.length()) > 64) {
            out.append('…');
        }
        return out.toString();
    }
}
