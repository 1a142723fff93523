package dev.parley.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole load benchmark at tiny sizes against a real {@code parley serve} child process, so a broken generator,
 * server start, gateway measurement, profile or report fails the build rather than the next real run.
 */
class LoadRunSmokeTest {

    @TempDir
    Path dir;

    @Test
    void appendsTheReferenceGatewayCallsOfBothClientsAndAProfileEndUpInTheReportAndTheRunLeavesNoDatabaseBehind() throws Exception {
        LoadOptions tiny = new LoadOptions(4, 0.5, 1, 100, 20, 5, 4, 1, Optional.empty(), "smoke", dir.resolve("results"), dir.resolve("data"));

        Path report = LoadRun.run(tiny, new PrintStream(OutputStream.nullOutputStream()));

        String md = Files.readString(report);
        assertThat(report.getFileName().toString()).startsWith("load-").endsWith(".md");
        assertThat(md).contains("## Appends", "| own session each | 4 | 4 |", "| one shared session | 4 | 1 |",
                "| bare reference, own session each | 4 | 4 |", "of the reference's rate",
                "| only the newest user message | through the bare reference's gateway | 20 |",
                "of what Parley's gateway adds for such calls is its own work",
                "## Gateway", "| only the newest user message | upstream, directly | 20 |",
                "| only the newest user message | through the gateway | 20 |",
                "| the whole conversation so far | upstream, directly | 20 |",
                "| the whole conversation so far | through the gateway | 20 |", "## Where the server's time goes",
                "## Targets", "No errors: **met**", "calls carrying only the newest user message: **",
                "calls carrying the whole conversation so far: **");
        assertThat(md).as("the profile found Parley's own code on the server's stacks").contains("`dev.parley.");
        String referenceRow = md.lines().filter(line -> line.startsWith("| bare reference")).findFirst().orElseThrow();
        assertThat(referenceRow.split("\\|")[9].strip()).as("the reference server's errors, in " + referenceRow).isEqualTo("0");
        try (Stream<Path> left = Files.list(dir.resolve("data"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("only the recordings are kept").containsExactlyInAnyOrder("load-last.jfr", "load-last-gateway.jfr");
        }
    }
}
