package dev.parley.bench.micro;

import dev.parley.tokens.EstimatingTokenizer;
import dev.parley.tokens.Tokenizer;
import dev.parley.tokens.Tokenizers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Counting tokens, uncached: exact o200k_base (JTokkit) on a 480-character reply and on 4 KB of prose,
 * and the calibrated estimate used for models without an exact tokenizer. The report turns the times
 * into tokens per second.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main TokenBenchmark},
 * or with the others through {@code parley-bench/run micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBenchmark {
    final Tokenizer o200k = Tokenizers.o200kBase();
    final Tokenizer estimate = EstimatingTokenizer.standard();

    @Benchmark
    public int o200kMessage() {
        return o200k.count(Fixtures.ANSWER);
    }

    @Benchmark
    public int o200kDocument() {
        return o200k.count(Fixtures.DOCUMENT);
    }

    @Benchmark
    public int estimateDocument() {
        return estimate.count(Fixtures.DOCUMENT);
    }
}
