package dev.parley.bench.compare;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompareOptionsTest {
    private static final Path RESULTS = Path.of("results");
    private static final Path DATA = Path.of("data");

    @Test
    void theDefaultsAreThePublishedWorkload() {
        CompareOptions options = CompareOptions.parse(new String[0], RESULTS, DATA);
        assertThat(options.backends()).containsExactly("sqlite", "postgres", "redis");
        assertThat(options.lengths()).containsExactly(10, 100, 1000, 5000, 10_000);
        assertThat(options.peerMaxLength()).isEqualTo(5000);
    }

    @Test
    void optionsOverrideTheDefaultsAndLengthsAreSorted() {
        CompareOptions options = CompareOptions.parse(new String[] {"--backends", "SQLite,redis", "--lengths", "100, 10",
                "--rounds", "3", "--redis", "redis://127.0.0.1:6379"}, RESULTS, DATA);
        assertThat(options.backends()).containsExactly("sqlite", "redis");
        assertThat(options.lengths()).containsExactly(10, 100);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.redis()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void badOptionsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--frobnicate", "1"}, RESULTS, DATA))
                .hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--rounds"}, RESULTS, DATA))
                .hasMessageContaining("--rounds needs a value");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--backends", "mongo"}, RESULTS, DATA))
                .hasMessageContaining("unknown backend mongo");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--lengths", "11"}, RESULTS, DATA))
                .hasMessageContaining("even numbers");
        assertThat(CompareOptions.usage()).contains("--backends");
    }

    @Test
    void windowedMemoriesAreSeededWithWhatTheyStillHold() {
        assertThat(Workload.firstKept(5000, 20)).isEqualTo(4980);
        assertThat(Workload.firstKept(10, 20)).isZero();
        assertThat(Workload.firstKept(5000, ChatSystem.EVERYTHING)).isZero();
        assertThat(Workload.user(3)).hasSize(Workload.USER_CHARS).startsWith("Turn 3.");
        assertThat(Workload.assistant(3)).hasSize(Workload.ASSISTANT_CHARS);
        assertThat(List.of(Workload.text(0), Workload.text(1))).containsExactly(Workload.user(0), Workload.assistant(0));
    }
}
