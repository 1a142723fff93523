package dev.parley.store.redis;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.InvalidInputException;
import dev.parley.testing.FuzzedPasswords;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the Redis store URL parser, which reads what users type into {@code --store} and
 * {@code PARLEY_STORE}. In a normal build they run in regression mode over the seeds in
 * {@code src/test/resources/dev/parley/store/redis/RedisLocationFuzzTestInputs/<method>/}; run
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-redis -Dtest=RedisLocationFuzzTest#<method>} to fuzz for real (new
 * failing inputs are written next to the seeds).
 */
class RedisLocationFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void anyTextIsParsedOrRefusedByName(String url) {
        RedisLocation parsed;
        try {
            parsed = RedisLocation.parse(url);
        } catch (InvalidInputException refused) {
            // A refusal is what bad input should get; anything else would reach the user as a stack trace.
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(parsed.nodes()).isNotEmpty();
        if (parsed.user() != null) {
            // Its text leaves the password out, and a user without a password is refused: nothing to read back.
            return;
        }
        // The parsed location's text (without the password) names the same place.
        RedisLocation again = RedisLocation.parse(parsed.toString());
        assertThat(again.nodes()).isEqualTo(parsed.nodes());
        assertThat(again.cluster()).isEqualTo(parsed.cluster());
        assertThat(again.database()).isEqualTo(parsed.database());
        assertThat(again.prefix()).isEqualTo(parsed.prefix());
    }

    /** A password never appears in a refusal or in the parsed location's text: both end up in logs. */
    @FuzzTest(maxDuration = "2m")
    void thePasswordIsNeverShown(FuzzedDataProvider data) {
        String password = FuzzedPasswords.next(data);
        String scheme = data.pickValue(new String[]{"redis", "rediss", "redis-cluster", "rediss-cluster"});
        String rest = data.consumeRemainingAsString();
        if (password.length() < 6 || rest.contains(password)) {
            return;
        }
        String url = scheme + "://alice:" + password + "@" + rest;
        String shown;
        try {
            shown = RedisLocation.parse(url).toString();
        } catch (InvalidInputException refused) {
            shown = refused.getMessage();
        }
        assertThat(shown).doesNotContain(password);
    }
}
