package dev.parley.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the whole comparison on SQLite at tiny sizes, so a broken system or report fails the build rather than the next real run. */
class CompareRunSmokeTest {

    @TempDir
    Path dir;

    /** Two rounds of two operations per cell; a budget so generous that every cell gets both. */
    private CompareOptions tiny(List<Integer> lengths, int peerMax) {
        return new CompareOptions(List.of("sqlite"), lengths, peerMax, 2, 2, 600, 2, "postgres://nobody@127.0.0.1/none", "own",
                dir.resolve("results"), dir.resolve("data"));
    }

    @Test
    void everySystemRunsOnSqliteAndTheReportShowsWhatTheWindowedOnesDeleted() throws Exception {
        Path report = CompareRun.run(tiny(List.of(10, 30), 30), new PrintStream(OutputStream.nullOutputStream()));

        String md = Files.readString(report);
        assertThat(report.getFileName().toString()).startsWith("compare-").endsWith(".md");
        assertThat(md).contains("## SQLite", "`synchronous=2` (FULL)", "## Targets");
        // L = 30 and two timed turns: the conversation had 34 messages; the windowed memories kept 20 of them.
        assertThat(md).contains("| parley | 14 of 14 | 34 of 34 |", "| spring-ai full | 14 of 14 | 34 of 34 |",
                "| spring-ai win20 | 14 of 14 | 20 of 34 |", "| langchain4j full | 14 of 14 | 34 of 34 |",
                "| langchain4j win20 | 14 of 14 | 20 of 34 |");
        assertThat(md).as("samples: 2 rounds × 2 operations").contains("| parley | 4 | 4 |");
    }

    @Test
    void peersSkipLengthsBeyondTheirLimitAndTheRunLeavesNoDatabaseBehind() throws Exception {
        Path report = CompareRun.run(tiny(List.of(10, 30), 10), new PrintStream(OutputStream.nullOutputStream()));

        assertThat(Files.readString(report)).contains("| parley | 14 of 14 | 34 of 34 |", "| spring-ai full | 14 of 14 | – |");
        try (Stream<Path> left = Files.list(dir.resolve("data"))) {
            assertThat(left).as("the run's databases are removed").isEmpty();
        }
    }
}
