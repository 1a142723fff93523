package dev.parley.models;

import dev.parley.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-call sampling parameters; {@code null} means "the provider's default". Validated on construction with
 * the widest range any supported provider accepts; an adapter rejects a value its provider cannot take with an
 * {@link InvalidInputException} before sending anything.
 *
 * <table>
 *   <caption>What each adapter does with each parameter</caption>
 *   <tr><th>parameter</th><th>OpenAI Chat Completions</th><th>Anthropic Messages</th>
 *       <th>Gemini ({@code generationConfig})</th><th>Ollama ({@code options})</th></tr>
 *   <tr><td>temperature</td><td>0–2, sent as {@code temperature}</td><td>0–1 (larger is rejected), {@code temperature}</td>
 *       <td>0–2, {@code temperature}</td><td>{@code temperature}</td></tr>
 *   <tr><td>topK</td><td>not part of the API: dropped, unless the builder's {@code forwardTopK(true)} sends
 *       {@code top_k} (vLLM and other compatible servers accept it)</td><td>{@code top_k}</td><td>{@code topK}</td>
 *       <td>{@code top_k}</td></tr>
 *   <tr><td>topP</td><td>{@code top_p}</td><td>{@code top_p}</td><td>{@code topP}</td><td>{@code top_p}</td></tr>
 *   <tr><td>maxTokens</td><td>{@code max_completion_tokens} on api.openai.com, {@code max_tokens} elsewhere</td>
 *       <td>{@code max_tokens} (required by the API: the adapter's default when unset)</td><td>{@code maxOutputTokens}</td>
 *       <td>{@code num_predict}</td></tr>
 *   <tr><td>stop</td><td>{@code stop} (OpenAI takes at most 4)</td><td>{@code stop_sequences}</td>
 *       <td>{@code stopSequences} (at most 5; more is rejected)</td><td>{@code stop}</td></tr>
 * </table>
 */
public record ModelParams(Double temperature, Integer topK, Double topP, Integer maxTokens, List<String> stop) {

    /** No parameter set: every provider uses its defaults. */
    public static final ModelParams NONE = new ModelParams(null, null, null, null, List.of());

    public ModelParams {
        if (temperature != null && !(temperature >= 0.0 && temperature <= 2.0)) {
            throw new InvalidInputException("temperature", "temperature must be between 0.0 and 2.0: " + temperature);
        }
        if (topK != null && topK < 1) {
            throw new InvalidInputException("topK", "topK must be at least 1: " + topK);
        }
        if (topP != null && !(topP >= 0.0 && topP <= 1.0)) {
            throw new InvalidInputException("topP", "topP must be between 0.0 and 1.0: " + topP);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidInputException("maxTokens", "maxTokens must be at least 1: " + maxTokens);
        }
        List<String> checked = new ArrayList<>();
        for (String s : Objects.requireNonNullElse(stop, List.<String>of())) {
            if (s == null || s.isEmpty()) {
                throw new InvalidInputException("stop", "stop sequences must be non-empty strings: " + stop);
            }
            checked.add(s);
        }
        stop = List.copyOf(checked);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These parameters, with every unset one taken from {@code defaults} (per-call values over session defaults). */
    public ModelParams withDefaults(ModelParams defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return new ModelParams(
                temperature != null ? temperature : defaults.temperature,
                topK != null ? topK : defaults.topK,
                topP != null ? topP : defaults.topP,
                maxTokens != null ? maxTokens : defaults.maxTokens,
                stop.isEmpty() ? defaults.stop : stop);
    }

    public Builder toBuilder() {
        return new Builder().temperature(temperature).topK(topK).topP(topP).maxTokens(maxTokens).stop(stop);
    }

    /** Builds {@link ModelParams}; validation happens in {@link #build()}. */
    public static final class Builder {
        private Double temperature;
        private Integer topK;
        private Double topP;
        private Integer maxTokens;
        private List<String> stop = List.of();

        private Builder() {
        }

        public Builder temperature(Double value) {
            this.temperature = value;
            return this;
        }

        public Builder topK(Integer value) {
            this.topK = value;
            return this;
        }

        public Builder topP(Double value) {
            this.topP = value;
            return this;
        }

        public Builder maxTokens(Integer value) {
            this.maxTokens = value;
            return this;
        }

        public Builder stop(List<String> sequences) {
            this.stop = sequences;
            return this;
        }

        public Builder stop(String... sequences) {
            this.stop = List.of(sequences);
            return this;
        }

        public ModelParams build() {
            return new ModelParams(temperature, topK, topP, maxTokens, stop);
        }
    }
}
