package dev.parley.bench.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the whole privacy benchmark on a tiny corpus, so a broken scorer, timer or report fails the build rather than the next run. */
class PrivacyRunSmokeTest {

    @TempDir
    Path dir;

    @Test
    void aTinyCorpusIsScoredTimedAndReportedWithEveryTarget() throws Exception {
        Path corpus = dir.resolve("tiny.jsonl");
        CorpusGenerator.generate(7, 150).write(corpus);

        Path report = PrivacyRun.run(new PrivacyRun.Options(corpus, 0, 0.05, dir.resolve("results")),
                new PrintStream(OutputStream.nullOutputStream()));

        String md = Files.readString(report);
        assertThat(report.getFileName().toString()).startsWith("privacy-").endsWith(".md");
        assertThat(md).contains("seed 7", "## Precision and recall per type", "| EMAIL |", "| PHONE |", "## Recall by written form",
                "## Hard negatives", "## Throughput", "| every built-in detector (`Detectors.defaults()`) |", "| phone (US, GB, DE, FR) alone |",
                "- SECRET: recall ≥ 0.98 and precision ≥ 0.95", "- At least 10 MB/s per core with every detector on");
    }
}
