package dev.parley.tokens;

import dev.parley.InvalidInputException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tunes the estimator of each model family to the prompt token counts its provider reports.
 *
 * <p>After a model call, {@link #record} takes the prompt tokens Parley estimated and those the
 * provider billed. Each pair moves the family's scale a quarter of the way (geometrically) towards
 * the scale that would have made the estimate exact, so one odd request cannot swing it; the scale
 * stays within [0.5, 2], and is rounded to 0.01 so cached counts are reused between small moves.
 * Requests under 32 tokens are ignored: their count is mostly framing, which the scale does not
 * touch. Families with an exact tokenizer need no calibration and are left alone. Thread-safe.
 *
 * <p>A family is the leading letters of the model name: {@code claude-sonnet-4-5} and
 * {@code claude-3-5-haiku} share {@code claude}; {@code llama3.1:8b} is {@code llama}.
 */
public final class Calibration {
    static final double MIN_SCALE = 0.5;
    static final double MAX_SCALE = 2.0;
    static final int MIN_TOKENS = 32;
    private static final double STEP = 0.25;

    private final Map<String, Double> scales = new ConcurrentHashMap<>();

    /** The tokenizer to count for {@code model} with now: exact if there is one, else the family's calibrated estimator. */
    public Tokenizer tokenizerFor(String model) {
        return Tokenizers.exactFor(model).orElseGet(() -> {
            double scale = scaleFor(model);
            return scale == 1.0 ? EstimatingTokenizer.standard() : new EstimatingTokenizer(scale);
        });
    }

    /** The current scale of {@code model}'s family (1.0 until something was recorded). */
    public double scaleFor(String model) {
        return scales.getOrDefault(family(model), 1.0);
    }

    /**
     * Feeds one request: {@code estimated} prompt tokens counted with {@link #tokenizerFor} before the
     * call, {@code reported} as the provider billed them.
     */
    public void record(String model, int estimated, int reported) {
        if (estimated < 0) {
            throw new InvalidInputException("estimated", "estimated tokens must be >= 0: " + estimated);
        }
        if (reported < 0) {
            throw new InvalidInputException("reported", "reported tokens must be >= 0: " + reported);
        }
        if (Tokenizers.exactFor(model).isPresent() || estimated < MIN_TOKENS || reported < MIN_TOKENS) {
            return;
        }
        scales.compute(family(model), (family, current) -> {
            double from = current == null ? 1.0 : current;
            double exact = from * reported / estimated;
            double moved = Math.exp((1 - STEP) * Math.log(from) + STEP * Math.log(exact));
            double bounded = Math.min(MAX_SCALE, Math.max(MIN_SCALE, moved));
            return Math.round(bounded * 100) / 100.0;
        });
    }

    static String family(String model) {
        String normalized = Tokenizers.normalize(model);
        int end = 0;
        while (end < normalized.length() && Character.isLetter(normalized.charAt(end))) {
            end++;
        }
        return end == 0 ? normalized : normalized.substring(0, end);
    }
}
