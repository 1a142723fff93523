package dev.parley.domain;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The id and name rules accept exactly what their documented patterns describe. */
class IdRuleTest {
    private static final String ALPHABET = "aZ09._-/@+:é٣ \u0000\n!~-_.AzM5";

    @Test
    void rulesAgreeWithTheirDocumentedPatternsOnRandomValues() {
        long seed = Long.getLong("parley.seed", System.nanoTime());
        System.out.println("IdRuleTest seed: " + seed + " (rerun with -Dparley.seed=" + seed + ")");
        Random random = new Random(seed);
        check(new IdRule("A-Za-z0-9", "A-Za-z0-9._-", 128), "[A-Za-z0-9][A-Za-z0-9._-]{0,127}", random, seed);
        check(new IdRule("A-Za-z0-9", "A-Za-z0-9._/-", 100), "[A-Za-z0-9][A-Za-z0-9._/-]{0,99}", random, seed);
        check(new IdRule("a-z0-9", "a-z0-9_-", 64), "[a-z0-9][a-z0-9_-]{0,63}", random, seed);
        check(new IdRule("A-Za-z0-9", "A-Za-z0-9._@+:-", 128), "[A-Za-z0-9][A-Za-z0-9._@+:-]{0,127}", random, seed);
    }

    private static void check(IdRule rule, String regex, Random random, long seed) {
        Pattern pattern = Pattern.compile(regex);
        for (int i = 0; i < 20_000; i++) {
            String value = value(random);
            assertThat(rule.matches(value)).as("%s on '%s' (seed %d)", regex, value, seed)
                    .isEqualTo(pattern.matcher(value).matches());
        }
    }

    /** Mostly valid-looking values of lengths around every limit, with an odd character now and then. */
    private static String value(Random random) {
        int length = random.nextInt(4) == 0 ? random.nextInt(140) : 60 + random.nextInt(10) + (random.nextBoolean() ? 0 : 36);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(random.nextInt(20) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                    : ALPHABET.charAt(random.nextInt(4)));
        }
        return out.toString();
    }

    @Test
    void limitsAndCharactersOfTheIdTypes() {
        assertThat(SessionId.of("a".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> SessionId.of("a".repeat(129))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("session id must be 1-128 characters");
        assertThatThrownBy(() -> SessionId.of("")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SessionId.of("-a")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SessionId.of("caf\u00e9")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SessionId.of("\uff11")).isInstanceOf(InvalidInputException.class);
        assertThat(Names.branch("feature/x.1_b-2")).isEqualTo("feature/x.1_b-2");
        assertThatThrownBy(() -> Names.branch("a b")).isInstanceOf(InvalidInputException.class)
                .hasMessage("branch name must be 1-100 characters of [A-Za-z0-9._/-] starting with a letter or digit: 'a b'");
        assertThatThrownBy(() -> TenantId.of("Acme")).isInstanceOf(InvalidInputException.class);
        assertThat(TenantId.of("acme_eu-1").value()).isEqualTo("acme_eu-1");
        assertThat(UserId.of("ada+test@example.org").value()).isEqualTo("ada+test@example.org");
        assertThatThrownBy(() -> UserId.of("ada/x")).isInstanceOf(InvalidInputException.class);
    }
}
