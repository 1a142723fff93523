package dev.parley.bench.micro;

import dev.parley.privacy.Detectors;
import dev.parley.privacy.InMemoryPlaceholderBook;
import dev.parley.privacy.PlaceholderBook;
import dev.parley.privacy.Sanitized;
import dev.parley.privacy.Sanitizer;
import dev.parley.privacy.SanitizerPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sanitising one message with every built-in detector (phone numbers of the US and the UK): a message
 * carrying an e-mail address, a phone number, a card number and an IBAN, and a 480-character reply with
 * nothing to find, the common case. The book is the session's: after the first call the values already
 * have their placeholders, as in a conversation that keeps mentioning them.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main SanitizerBenchmark},
 * or with the others through {@code parley-bench/run micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SanitizerBenchmark {
    final Sanitizer sanitizer = Sanitizer.builder()
            .detector(Detectors.defaults(List.of("US", "GB")))
            .policy(SanitizerPolicy.defaults())
            .build();
    final PlaceholderBook book = new InMemoryPlaceholderBook();

    @Benchmark
    public Sanitized messageWithPii() {
        return sanitizer.sanitize(Fixtures.WITH_PII, book);
    }

    @Benchmark
    public Sanitized plainReply() {
        return sanitizer.sanitize(Fixtures.ANSWER, book);
    }
}
