package dev.parley.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {
    private static final Path RESULTS = Path.of("results");
    private static final Path DATA = Path.of("data");

    @Test
    void noArgumentsGiveThePublishedRun() {
        LoadOptions options = LoadOptions.parse(new String[0], RESULTS, DATA);

        assertThat(options.clients()).isEqualTo(64);
        assertThat(options.seconds()).isEqualTo(30);
        assertThat(options.serverClasspath()).isEmpty();
    }

    @Test
    void everyOptionIsRead() {
        LoadOptions options = LoadOptions.parse(new String[] {"--clients", "8", "--warmup", "1", "--seconds", "2.5", "--message-chars", "50",
                "--gateway-calls", "0", "--gateway-warmup", "3", "--turns-per-session", "4", "--profile", "0", "--server-classpath", "x.jar",
                "--note", "head", "--results", "r", "--data", "d"}, RESULTS, DATA);

        assertThat(options).isEqualTo(new LoadOptions(8, 1, 2.5, 50, 0, 3, 4, 0, Optional.of("x.jar"), "head", Path.of("r"), Path.of("d")));
    }

    @Test
    void appendsFalseMeasuresTheGatewayAloneAndNeedsGatewayCalls() {
        assertThat(LoadOptions.parse(new String[0], RESULTS, DATA).appends()).isTrue();
        assertThat(LoadOptions.parse(new String[] {"--appends", "false"}, RESULTS, DATA).appends()).isFalse();
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--appends", "no"}, RESULTS, DATA))
                .hasMessage("--appends needs true or false, got 'no'");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--appends", "false", "--gateway-calls", "0"}, RESULTS, DATA))
                .hasMessage("--appends false needs --gateway-calls > 0: nothing would be measured");
    }

    @Test
    void anUnknownOptionAMissingValueOrABadNumberIsRefusedByName() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--clinets", "8"}, RESULTS, DATA)).hasMessage("unknown option --clinets");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--clients"}, RESULTS, DATA)).hasMessage("--clients needs a value");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--seconds", "ten"}, RESULTS, DATA))
                .hasMessage("--seconds needs a number, got 'ten'");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--clients", "0"}, RESULTS, DATA))
                .hasMessage("--clients must be between 1 and 4096, got 0");
    }

    @Test
    void theCommandLineRepeatsTheMeasurement() {
        String[] args = {"--clients", "8", "--seconds", "2.5", "--gateway-warmup", "20000", "--appends", "false", "--reference", "false"};
        LoadOptions options = LoadOptions.parse(args, RESULTS, DATA);

        String command = options.commandLine();

        assertThat(command).isEqualTo("parley-bench/run load --clients 8 --warmup 40 --seconds 2.5 --message-chars 400"
                + " --gateway-calls 4000 --gateway-warmup 20000 --turns-per-session 10 --profile 15 --appends false --reference false");
        assertThat(LoadOptions.parse(command.substring("parley-bench/run load ".length()).split(" "), RESULTS, DATA))
                .isEqualTo(options);
    }
}
