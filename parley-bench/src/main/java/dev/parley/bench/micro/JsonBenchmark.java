package dev.parley.bench.micro;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.json.ParleyJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The JSON codec every store uses for an entry's payload: a 480-character assistant message written to
 * its JSON text ({@code ParleyJson.payloadText}) and read back ({@code ParleyJson.payload}), once per
 * row written and per row read.
 *
 * <p>Run it alone: {@code java -cp parley-bench/target/benchmarks.jar org.openjdk.jmh.Main JsonBenchmark},
 * or with the others through {@code parley-bench/run micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonBenchmark {
    final Payload payload = new Payload.MessagePayload(Message.assistant(Fixtures.ANSWER));
    final String json = ParleyJson.payloadText(payload);

    @Benchmark
    public String encodeMessage() {
        return ParleyJson.payloadText(payload);
    }

    @Benchmark
    public Payload decodeMessage() {
        return ParleyJson.payload(EntryKind.MESSAGE, json);
    }
}
