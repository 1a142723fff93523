package dev.parley.server;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsServeSqliteOnLocalhost8080() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.store()).isEqualTo("sqlite:./parley-data/parley.db");
        assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.apiKey()).isEmpty();
        assertThat(config.admission()).isEqualTo("reject");
    }

    @Test
    void theFileTheEnvironmentAndFlagsOverrideInThatOrder() throws IOException {
        Path file = dir.resolve("parley.conf");
        Files.writeString(file, "# a comment\nport=9000\nhost=0.0.0.0\nrateLimit=5\n");

        ServerConfig config = ServerConfig.load(file, Map.of("PARLEY_PORT", "9100", "PARLEY_RATE_LIMIT", "7", "HOME", "/x"),
                Map.of("port", "9200"));

        assertThat(config.port()).isEqualTo(9200);
        assertThat(config.rateLimit()).isEqualTo(7.0);
        assertThat(config.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void anUnknownSettingIsAnErrorListingTheKnownOnes() throws IOException {
        Path file = dir.resolve("parley.conf");
        Files.writeString(file, "prot=9000\n");

        assertThatThrownBy(() -> ServerConfig.load(file, Map.of(), Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown setting 'prot'").hasMessageContaining(file.toString())
                .hasMessageContaining("port");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("colour", "blue")))
                .hasMessageContaining("unknown setting 'colour'");
    }

    @Test
    void aBadValueNamesTheSettingWhereItCameFromAndTheRule() {
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PARLEY_PORT", "eighty"), Map.of()))
                .hasMessageContaining("port").hasMessageContaining("PARLEY_PORT").hasMessageContaining("whole number");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("maxBodyBytes", "10")))
                .hasMessageContaining("between 1024");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("admission", "maybe"))).hasMessageContaining("reject");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("providers", "openai,cohere")))
                .hasMessageContaining("cohere");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PARLEY_API_KEY", "short secret"), Map.of()))
                .hasMessageContaining("16-256").hasMessageNotContaining("short secret");
        assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.conf"), Map.of(), Map.of()))
                .hasMessageContaining("cannot read");
    }

    @Test
    void secretsNeverAppearWhenTheConfigurationIsPrinted() {
        ServerConfig config = ServerConfig.load(null, Map.of("PARLEY_API_KEY", "a-very-secret-key-123", "PARLEY_TOKEN_SECRET", "xyz"),
                Map.of());

        assertThat(config.toString()).contains("apiKey=(hidden)").doesNotContain("a-very-secret").doesNotContain("xyz");
    }

    @Test
    void sanitisingAndTheMasterKeyAreReadFromTheirVariables() {
        String key = "a".repeat(64);
        ServerConfig config = ServerConfig.load(null, Map.of("PARLEY_SANITIZE", "1", "PARLEY_MASTER_KEY", "k1:" + key), Map.of());

        assertThat(config.sanitize()).isTrue();
        assertThat(config.masterKey()).contains("k1:" + key);
        assertThat(config.toString()).contains("masterKey=(hidden)").doesNotContain(key);
        assertThat(ServerConfig.defaults().sanitize()).isFalse();
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PARLEY_SANITIZE", "maybe"), Map.of()))
                .hasMessageContaining("sanitize").hasMessageContaining("PARLEY_SANITIZE").hasMessageContaining("true or false");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PARLEY_MASTER_KEY", "k1:short"), Map.of()))
                .hasMessageContaining("masterKey").hasMessageContaining("not a valid").hasMessageNotContaining("short");
    }

    @Test
    void theUpstreamMustBeAProviderAndItsUrlAnHttpUrl() {
        ServerConfig config = ServerConfig.load(null, Map.of("PARLEY_UPSTREAM", "anthropic",
                "PARLEY_UPSTREAM_URL", "http://127.0.0.1:9000"), Map.of());

        assertThat(config.upstream()).contains("anthropic");
        assertThat(config.upstreamUrl()).contains("http://127.0.0.1:9000");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("upstream", "cohere"))).hasMessageContaining("openai");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("upstreamUrl", "ftp://x"))).hasMessageContaining("http://");
    }

    @Test
    void everySettingHasAnEnvironmentVariableAndADescription() {
        for (ServerConfig.Setting s : ServerConfig.Setting.values()) {
            assertThat(s.env()).startsWith("PARLEY_");
            assertThat(s.description()).isNotBlank();
        }
        assertThat(ServerConfig.Setting.MAX_BODY_BYTES.env()).isEqualTo("PARLEY_MAX_BODY_BYTES");
        assertThat(ServerConfig.Setting.MAX_BODY_BYTES.key()).isEqualTo("maxBodyBytes");
    }
}
