package dev.parley.bench;

import dev.parley.domain.Entry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs each benchmark's code once, outside JMH, so a broken benchmark fails the build rather than the next run. */
class BenchmarksSmokeTest {

    @Test
    void theAppendBenchmarkAppendsATurnAfterTheSeededHistory() {
        SqliteAppendBenchmark benchmark = new SqliteAppendBenchmark();
        benchmark.historyLength = 10;
        benchmark.seed();
        try {
            benchmark.rewind();
            List<Entry> appended = benchmark.appendTurn().appended();
            assertThat(appended).hasSize(2);
            assertThat(appended.getFirst().depth()).as("after the system prompt and 10 turns").isEqualTo(22);
            benchmark.rewind();
            assertThat(benchmark.appendTurn().appended().getFirst().depth()).isEqualTo(22);
        } finally {
            benchmark.close();
        }
    }

    @Test
    void theReadBenchmarkReadsTheLastTwentyEntriesOldestFirst() {
        SqliteReadBenchmark benchmark = new SqliteReadBenchmark();
        benchmark.historyLength = 10;
        benchmark.seed();
        try {
            List<Entry> last = benchmark.lastTwenty();
            assertThat(last).hasSize(20);
            assertThat(last.getLast().depth()).isEqualTo(21);
            assertThat(last.getFirst().depth()).isEqualTo(2);
        } finally {
            benchmark.close();
        }
    }

    @Test
    void theThroughputBenchmarkGivesEachWriterItsOwnSession() {
        SqliteThroughputBenchmark benchmark = new SqliteThroughputBenchmark();
        SqliteThroughputBenchmark.Store store = new SqliteThroughputBenchmark.Store();
        store.open();
        try {
            SqliteThroughputBenchmark.Writer first = new SqliteThroughputBenchmark.Writer();
            SqliteThroughputBenchmark.Writer second = new SqliteThroughputBenchmark.Writer();
            first.create(store);
            second.create(store);
            assertThat(first.id).isNotEqualTo(second.id);
            assertThat(benchmark.appendMessage(store, first).appended()).hasSize(1);
            assertThat(benchmark.appendTurn(store, second).appended()).hasSize(2);
            assertThat(benchmark.appendTurn(store, first).appended().getLast().depth()).as("system prompt, 1 turn, 1 message, 1 turn")
                    .isEqualTo(6);
        } finally {
            store.close();
        }
    }
}
