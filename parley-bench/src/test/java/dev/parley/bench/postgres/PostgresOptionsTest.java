package dev.parley.bench.postgres;

import dev.parley.store.postgres.PostgresUrl;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresOptionsTest {
    private static final Path RESULTS = Path.of("results");

    @Test
    void noArgumentsGiveThePublishedRun() {
        PostgresOptions options = PostgresOptions.parse(new String[0], RESULTS);

        assertThat(options).isEqualTo(new PostgresOptions(PostgresUrl.parse("postgres://postgres@127.0.0.1:5432/test?schema=parley_bench"),
                64, 20, 15, 3, 2, true, false, false, 10, 200, RESULTS));
    }

    @Test
    void everyOptionIsReadAndFlagsTakeNoValue() {
        PostgresOptions options = PostgresOptions.parse(new String[] {"--url", "postgres://bench@db:5433/perf?schema=tp", "--writers", "8",
                "--seconds", "2.5", "--warmup", "0", "--runs", "5", "--committers", "3", "--shared-session", "--group-commit", "false",
                "--platform-writers", "--pool", "12", "--gather-us", "0", "--results", "r"}, RESULTS);

        assertThat(options).isEqualTo(new PostgresOptions(PostgresUrl.parse("postgres://bench@db:5433/perf?schema=tp"), 8, 2.5, 0, 5, 3,
                false, true, true, 12, 0, Path.of("r")));
    }

    @Test
    void thePoolFollowsTheCommittersWithGroupCommitAndTheWritersWithout() {
        assertThat(PostgresOptions.parse(new String[] {"--committers", "4"}, RESULTS).pool()).isEqualTo(12);
        assertThat(PostgresOptions.parse(new String[] {"--group-commit", "false", "--writers", "16"}, RESULTS).pool()).isEqualTo(18);
    }

    @Test
    void theCommandLineRepeatsTheRun() {
        String[] args = {"--writers", "8", "--seconds", "2.5", "--shared-session"};

        String command = PostgresOptions.parse(args, RESULTS).commandLine();

        assertThat(command).isEqualTo("parley-bench/run postgres --url postgres://postgres@127.0.0.1:5432/test?schema=parley_bench"
                + " --writers 8 --seconds 2.5 --warmup 15 --runs 3 --committers 2 --group-commit true --pool 10 --gather-us 200 --shared-session");
        assertThat(PostgresOptions.parse(command.substring("parley-bench/run postgres ".length()).split(" "), RESULTS))
                .isEqualTo(PostgresOptions.parse(args, RESULTS));
    }

    @Test
    void anUnknownOptionAMissingValueOrABadValueIsRefusedByName() {
        assertThatThrownBy(() -> parse("--writer", "8")).hasMessage("unknown option --writer");
        assertThatThrownBy(() -> parse("--writers")).hasMessage("--writers needs a value");
        assertThatThrownBy(() -> parse("--seconds", "ten")).hasMessage("--seconds needs a number, got 'ten'");
        assertThatThrownBy(() -> parse("--group-commit", "yes")).hasMessage("--group-commit needs true or false, got 'yes'");
        assertThatThrownBy(() -> parse("--writers", "0")).hasMessage("--writers must be between 1 and 4096, got 0");
        assertThatThrownBy(() -> parse("--seconds", "0")).hasMessage("--seconds must be > 0, got 0");
        assertThatThrownBy(() -> parse("--warmup", "-1")).hasMessage("--warmup must be >= 0 seconds, got -1");
        assertThatThrownBy(() -> parse("--runs", "0")).hasMessage("--runs must be between 1 and 100, got 0");
        assertThatThrownBy(() -> parse("--committers", "65")).hasMessage("--committers must be between 1 and 64, got 65");
        assertThatThrownBy(() -> parse("--pool", "1")).hasMessage("--pool must be between 2 and 1000, got 1");
        assertThatThrownBy(() -> parse("--committers", "4", "--pool", "4"))
                .hasMessage("--pool 4 leaves no connection for reads beside 4 committers; make it at least 5");
    }

    @Test
    void aUrlMustParseAndNameTheSchemaTheRunDrops() {
        assertThatThrownBy(() -> parse("--url", "mysql://root@db/x?schema=s")).hasMessageStartingWith("--url: store URL 'mysql://root@db/x?schema=s'"
                + " does not start with postgres:// or postgresql://");
        assertThatThrownBy(() -> parse("--url", "postgres://app:secret@db/prod"))
                .hasMessage("--url must name the schema the benchmark drops and recreates (…?schema=parley_bench), got postgres://app@db:5432/prod");
    }

    private static PostgresOptions parse(String... args) {
        return PostgresOptions.parse(args, RESULTS);
    }
}
