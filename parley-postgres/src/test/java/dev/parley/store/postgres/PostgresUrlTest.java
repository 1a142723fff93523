package dev.parley.store.postgres;

import dev.parley.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresUrlTest {

    @Test
    void aFullUrlNamesUserPasswordHostPortDatabaseAndSchema() {
        PostgresUrl url = PostgresUrl.parse("postgres://parley:s3cr%40t@db.internal:6543/sessions?schema=prod_1");
        assertThat(url).isEqualTo(new PostgresUrl("parley", "s3cr@t", "db.internal", 6543, "sessions", "prod_1"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/sessions");
    }

    @Test
    void portAndSchemaHaveDefaultsAndThePasswordIsOptional() {
        PostgresUrl url = PostgresUrl.parse("postgresql://postgres@127.0.0.1/test");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.schema()).isEqualTo("parley");
        assertThat(url.password()).isNull();
    }

    @Test
    void anIpv6HostIsWrittenInBrackets() {
        PostgresUrl url = PostgresUrl.parse("postgres://u@[::1]:5433/db");
        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/db");
    }

    @Test
    void thePasswordNeverAppearsInTheTextForm() {
        PostgresUrl url = PostgresUrl.parse("postgres://parley:hunter2@db:5432/app");
        assertThat(url.toString()).isEqualTo("postgres://parley@db:5432/app?schema=parley").doesNotContain("hunter2");
    }

    /** Found by PostgresUrlFuzzTest: a user or database that needs encoding was shown raw, not as a URL one can paste back. */
    @Test
    void itsTextEncodesWhatTheUrlHadToEncode() {
        PostgresUrl url = PostgresUrl.parse("postgres://a%40b@h/my%20db%3Fx");
        assertThat(url.user()).isEqualTo("a@b");
        assertThat(url.database()).isEqualTo("my db?x");
        assertThat(url.toString()).isEqualTo("postgres://a%40b@h:5432/my%20db%3Fx?schema=parley");
        assertThat(PostgresUrl.parse(url.toString())).isEqualTo(url);
    }

    @Test
    void aUrlMayAskForAPoolSizeWhichTheBuilderTakes() {
        PostgresUrl url = PostgresUrl.parse("postgres://parley@db:5432/app?poolSize=32&schema=prod");
        assertThat(url.poolSize()).isEqualTo(32);
        assertThat(url.schema()).isEqualTo("prod");
        assertThat(url.toString()).isEqualTo("postgres://parley@db:5432/app?schema=prod&poolSize=32");
        assertThat(PostgresUrl.parse(url.toString())).isEqualTo(url);
        assertThat(PostgresUrl.parse("postgres://parley@db/app").poolSize()).isNull();
        assertThatThrownBy(() -> PostgresSessionStore.builder().url("postgres://parley@db/app?poolSize=2").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pool size 2 leaves no connection for reads beside 2 committers");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                          | store URL is empty",
            "mysql://u@h/db                              | does not start with postgres:// or postgresql://",
            "postgres://h:5432/db                        | names no user",
            "postgres://:pw@h/db                         | names no user",
            "postgres://u@h:99999/db                     | not between 1 and 65535",
            "postgres://u@h:port/db                      | malformed host or port",
            "postgres://u@h                              | names no database",
            "postgres://u@h/                             | names no database",
            "postgres://u@h/db/extra                     | only a database name may follow the host",
            "postgres://u@h/db?sslmode=require           | unknown parameter 'sslmode' (the known ones are schema and poolSize)",
            "postgres://u@h/db?poolSize=1                | poolSize '1', which is not a whole number from 2 to 1000",
            "postgres://u@h/db?poolSize=ten              | poolSize 'ten', which is not a whole number from 2 to 1000",
            "postgres://u@h/db?poolSize=4&poolSize=5     | names the pool size twice",
            "postgres://u@h/db?schema=Bad-Name           | schema must be 1-63 characters of [a-z0-9_]",
            "postgres://u@h/db?schema=a&schema=b         | names the schema twice",
            "postgres://u@h/db name                      | malformed",
    })
    void aBadUrlIsRefusedNamingWhatIsWrong(String url, String problem) {
        assertThatThrownBy(() -> PostgresUrl.parse(url)).isInstanceOf(InvalidInputException.class).hasMessageContaining(problem);
    }

    @Test
    void errorsShowTheUrlWithoutItsPassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgres://parley:hunter2@db:5432"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'postgres://parley:***@db:5432'")
                .hasMessageNotContaining("hunter2");
    }
}
