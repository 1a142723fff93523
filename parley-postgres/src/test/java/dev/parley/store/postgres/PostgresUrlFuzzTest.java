package dev.parley.store.postgres;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.InvalidInputException;
import dev.parley.testing.FuzzedPasswords;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the PostgreSQL store URL parser, which reads what users type into {@code --store} and
 * {@code PARLEY_STORE}. In a normal build they run in regression mode over the seeds in
 * {@code src/test/resources/dev/parley/store/postgres/PostgresUrlFuzzTestInputs/<method>/}; run
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-postgres -Dtest=PostgresUrlFuzzTest#<method>} to fuzz for real (new
 * failing inputs are written next to the seeds).
 */
class PostgresUrlFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void anyTextIsParsedOrRefusedByName(String url) {
        PostgresUrl parsed;
        try {
            parsed = PostgresUrl.parse(url);
        } catch (InvalidInputException refused) {
            // A refusal is what bad input should get; anything else would reach the user as a stack trace.
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        // What was accepted opens: it makes a JDBC URL, and its own text is a URL the parser accepts as the same place.
        assertThat(parsed.jdbcUrl()).startsWith("jdbc:postgresql://");
        PostgresUrl again = PostgresUrl.parse(parsed.toString());
        assertThat(again.jdbcUrl()).isEqualTo(parsed.jdbcUrl());
        assertThat(again.user()).isEqualTo(parsed.user());
        assertThat(again.schema()).isEqualTo(parsed.schema());
    }

    /** A password never appears in a refusal or in the parsed URL's text: both end up in logs. */
    @FuzzTest(maxDuration = "2m")
    void thePasswordIsNeverShown(FuzzedDataProvider data) {
        String password = FuzzedPasswords.next(data);
        String rest = data.consumeRemainingAsString();
        if (password.length() < 6 || rest.contains(password)) {
            return;
        }
        String url = "postgres://alice:" + password + "@" + rest;
        String shown;
        try {
            shown = PostgresUrl.parse(url).toString();
        } catch (InvalidInputException refused) {
            shown = refused.getMessage();
        }
        assertThat(shown).doesNotContain(password);
    }
}
