package dev.parley.tokens;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the estimator against the exact OpenAI encodings on {@link TokenSamples} and prints the
 * figures quoted in the README. The bounds fail the build if a change to the weights makes it worse.
 */
class EstimatorAccuracyTest {
    /** Scripts cl100k_base encodes byte by byte; o200k_base and the estimator do not. */
    private static final Set<String> NON_LATIN = Set.of("russian prose", "greek prose", "arabic prose", "hebrew prose",
            "hindi prose", "chinese prose", "japanese prose", "korean prose");

    /** Relative errors: mean and max of |estimate - exact| / exact, and the mean signed one (negative: underestimates). */
    record Error(double mean, double max, String worst, double bias) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "mean %.1f%%, max %.1f%% (%s), bias %+.1f%%", mean * 100, max * 100, worst,
                    bias * 100);
        }
    }

    static Error measure(Tokenizer exact, List<TokenSamples.Sample> samples) {
        double sum = 0;
        double signed = 0;
        double max = 0;
        String worst = "";
        for (TokenSamples.Sample sample : samples) {
            int truth = exact.count(sample.text());
            double difference = (EstimatingTokenizer.standard().count(sample.text()) - truth) / (double) truth;
            double error = Math.abs(difference);
            sum += error;
            signed += difference;
            if (error > max) {
                max = error;
                worst = sample.kind();
            }
        }
        return new Error(sum / samples.size(), max, worst, signed / samples.size());
    }

    @Test
    void theEstimatorIsWithinItsMeasuredErrorOfTheExactEncodings() {
        List<TokenSamples.Sample> all = TokenSamples.all();
        List<TokenSamples.Sample> latin = all.stream().filter(s -> !NON_LATIN.contains(s.kind())).toList();

        Error o200k = measure(Tokenizers.o200kBase(), all);
        Error cl100k = measure(Tokenizers.cl100kBase(), all);
        Error cl100kLatin = measure(Tokenizers.cl100kBase(), latin);
        System.out.println("estimator vs o200k_base, " + all.size() + " samples: " + o200k);
        System.out.println("estimator vs cl100k_base, " + all.size() + " samples: " + cl100k);
        System.out.println("estimator vs cl100k_base, " + latin.size() + " samples in Latin script, code and symbols: " + cl100kLatin);

        assertThat(o200k.mean()).isLessThan(0.08);
        assertThat(o200k.max()).isLessThan(0.25);
        assertThat(cl100kLatin.mean()).isLessThan(0.13);
        assertThat(cl100k.mean()).isLessThan(0.25);
    }

    @Test
    void onTextNotUsedForFittingTheErrorStaysClose() {
        List<TokenSamples.Sample> holdout = TokenSamples.holdout();

        Error o200k = measure(Tokenizers.o200kBase(), holdout);
        Error cl100k = measure(Tokenizers.cl100kBase(), holdout);
        System.out.println("estimator vs o200k_base, " + holdout.size() + " held-out samples: " + o200k);
        System.out.println("estimator vs cl100k_base, " + holdout.size() + " held-out samples: " + cl100k);

        assertThat(o200k.mean()).isLessThan(0.15);
        assertThat(o200k.max()).isLessThan(0.40);
    }

    @Test
    void theSampleIsVaried() {
        assertThat(TokenSamples.all()).hasSizeGreaterThanOrEqualTo(30)
                .extracting(TokenSamples.Sample::kind).doesNotHaveDuplicates();
        assertThat(TokenSamples.all().stream().mapToInt(s -> s.text().length()).sum()).isGreaterThan(8_000);
    }
}
