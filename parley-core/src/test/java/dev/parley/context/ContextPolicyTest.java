package dev.parley.context;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextPolicyTest {
    private static final Summariser SUMMARISER = new DeterministicSummariser();

    @Test
    void zeroOrNegativeLimitsAreErrorsNamingTheArgument() {
        assertThatThrownBy(() -> ContextPolicy.lastMessages(0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("lastMessages needs n >= 1: 0").extracting("field").isEqualTo("n");
        assertThatThrownBy(() -> ContextPolicy.tokenBudget(0, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("tokenBudget needs maxTokens >= 1: 0").extracting("field").isEqualTo("maxTokens");
        assertThatThrownBy(() -> ContextPolicy.tokenBudget(100, -1)).isInstanceOf(InvalidInputException.class)
                .hasMessage("tokenBudget needs 0 <= reserveForReply < maxTokens (100): -1");
        assertThatThrownBy(() -> ContextPolicy.tokenBudget(100, 100)).isInstanceOf(InvalidInputException.class)
                .extracting("field").isEqualTo("reserveForReply");
        assertThatThrownBy(() -> ContextPolicy.summarising(0, 2, SUMMARISER)).isInstanceOf(InvalidInputException.class)
                .hasMessage("summarising needs triggerTokens >= 1: 0");
        assertThatThrownBy(() -> ContextPolicy.summarising(100, -1, SUMMARISER)).isInstanceOf(InvalidInputException.class)
                .hasMessage("summarising needs keepRecent >= 0: -1");
    }

    @Test
    void missingCollaboratorsAreErrors() {
        assertThatThrownBy(() -> ContextPolicy.summarising(100, 2, null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("summarising needs a summariser");
        assertThatThrownBy(() -> ContextPolicy.filtered(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("filtered needs a predicate");
    }

    @Test
    void policiesAreValuesThatCompareByTheirSettings() {
        assertThat(ContextPolicy.lastMessages(5)).isEqualTo(ContextPolicy.lastMessages(5));
        assertThat(ContextPolicy.tokenBudget(100, 10)).isEqualTo(ContextPolicy.tokenBudget(100, 10));
        assertThat(ContextPolicy.all()).isSameAs(ContextPolicy.all());
        assertThat(((ContextPolicy.TokenBudget) ContextPolicy.tokenBudget(100, 10)).promptTokens()).isEqualTo(90);
    }

    @Test
    void aBuilderRefusesAMissingPolicyOrRequest() {
        TestHistory h = TestHistory.withSystemPrompt("sys");

        assertThatThrownBy(() -> h.build(null)).isInstanceOf(InvalidInputException.class).hasMessage("a context policy is required");
        assertThatThrownBy(() -> h.builder.build(h.tenant, h.id, h.head(), ContextPolicy.all(), TestHistory.TOKENS, null, true))
                .isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("request");
    }
}
