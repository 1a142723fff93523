package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.tokens.Tokenizers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaTest {
    private final TestHistory h = TestHistory.withSystemPrompt("sys");   // 7 tokens, 3 more to prime the reply
    private final List<Overflow> overflows = new ArrayList<>();

    private Quota quota(ContextPolicy policy, int window) {
        return Quota.builder(h.source()).tokens(TestHistory.TOKENS).contextWindow(window).policy(policy)
                .onOverflow(overflows::add).build();
    }

    @Test
    void contextUsageIsTheTokenCountOfTheContextThePolicyBuildsNow() {
        Quota quota = quota(ContextPolicy.all(), 100);
        assertThat(quota.contextUsage()).isEqualTo(10);

        h.add(Message.user("0123456789"));

        assertThat(quota.contextUsage()).isEqualTo(10 + 14);
        assertThat(quota.contextWindow()).isEqualTo(100);
    }

    @Test
    void levelsFollowTheDefaultThresholds() {
        Quota quota = quota(ContextPolicy.all(), 100);

        assertThat(quota.levelOf(74)).isEqualTo(Quota.Level.SAFE);
        assertThat(quota.levelOf(75)).isEqualTo(Quota.Level.WARNING);
        assertThat(quota.levelOf(89)).isEqualTo(Quota.Level.WARNING);
        assertThat(quota.levelOf(90)).isEqualTo(Quota.Level.CRITICAL);
        assertThat(quota.levelOf(100)).isEqualTo(Quota.Level.EXHAUSTED);
        assertThat(quota.levelOf(250)).isEqualTo(Quota.Level.EXHAUSTED);
        assertThat(quota.level()).isEqualTo(Quota.Level.SAFE);
    }

    @Test
    void theLevelRisesAsTheConversationGrows() {
        Quota quota = quota(ContextPolicy.all(), 40);
        h.add(Message.user("0123456789"));        // 24 of 40: SAFE
        assertThat(quota.level()).isEqualTo(Quota.Level.SAFE);

        h.add(Message.user("012"));               // 31: WARNING
        assertThat(quota.level()).isEqualTo(Quota.Level.WARNING);

        h.add(Message.user("0"));                 // 36: CRITICAL
        assertThat(quota.level()).isEqualTo(Quota.Level.CRITICAL);

        h.add(Message.user(""));                  // 40: EXHAUSTED
        assertThat(quota.level()).isEqualTo(Quota.Level.EXHAUSTED);
    }

    @Test
    void thresholdsCanBeConfiguredAndAreValidated() {
        Quota quota = Quota.builder(h.source()).contextWindow(100).thresholds(0.5, 0.6, 0.8).build();

        assertThat(quota.levelOf(50)).isEqualTo(Quota.Level.WARNING);
        assertThat(quota.levelOf(60)).isEqualTo(Quota.Level.CRITICAL);
        assertThat(quota.levelOf(80)).isEqualTo(Quota.Level.EXHAUSTED);
        for (double[] bad : new double[][]{{0, 0.9, 1}, {0.9, 0.8, 1}, {0.5, 0.9, 0.8}, {0.5, 0.9, 1.1}, {Double.NaN, 0.9, 1}}) {
            assertThatThrownBy(() -> Quota.builder(h.source()).thresholds(bad[0], bad[1], bad[2]))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("thresholds must satisfy 0 < warning < critical <= exhausted <= 1")
                    .extracting("field").isEqualTo("thresholds");
        }
    }

    @Test
    void measureContextUsageCountsATextAsAUserMessage() {
        Quota quota = quota(ContextPolicy.all(), 100);

        assertThat(quota.measureContextUsage("hello")).isEqualTo(5 + 4);
        assertThatThrownBy(() -> quota.measureContextUsage(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void hasAvailableQuotaSaysWhetherMoreTokensFitWithoutDroppingAnything() {
        Quota quota = quota(ContextPolicy.all(), 100);

        assertThat(quota.hasAvailableQuota(90)).isTrue();
        assertThat(quota.hasAvailableQuota(91)).isFalse();
        assertThatThrownBy(() -> quota.hasAvailableQuota(-1)).isInstanceOf(InvalidInputException.class)
                .hasMessage("tokens must be >= 0: -1");
    }

    @Test
    void theInputQuotaOfATokenBudgetIsItsBudgetWithinTheWindowLessTheReply() {
        assertThat(quota(ContextPolicy.tokenBudget(50, 10), 100).inputQuota()).isEqualTo(40);
        assertThat(quota(ContextPolicy.tokenBudget(50, 10), 30).inputQuota()).isEqualTo(20);
        assertThat(quota(ContextPolicy.filtered(e -> true, ContextPolicy.tokenBudget(50, 10)), 100).inputQuota()).isEqualTo(40);
        assertThat(quota(ContextPolicy.lastMessages(3), 100).inputQuota()).isEqualTo(100);
    }

    @Test
    void prepareReturnsTheContextWithTheRequestAndStaysQuietWhenNothingWasDropped() {
        h.add(Message.user("u1"));

        Context context = quota(ContextPolicy.all(), 100).prepare("hello");

        assertThat(TestHistory.texts(context)).containsExactly("sys", "u1", "hello");
        assertThat(overflows).isEmpty();
    }

    @Test
    void theOverflowListenerHearsWhenThePolicyDropsHistory() {
        h.add(Message.user("u1"), Message.assistant("a1"), Message.user("u2"));

        Context context = quota(ContextPolicy.lastMessages(1), 100).prepare("hello");

        assertThat(TestHistory.texts(context)).containsExactly("sys", "u2", "hello");
        assertThat(overflows).containsExactly(new Overflow(Overflow.Kind.DROPPED, 2, context.totalTokens(), 100));
    }

    @Test
    void theOverflowListenerHearsWhenThePolicySummarises() {
        h.add(Message.user("u1"), Message.assistant("a1"), Message.user("u2"), Message.assistant("a2"));

        Context context = quota(ContextPolicy.summarising(30, 2, new DeterministicSummariser()), 1000).prepare("hello");

        assertThat(context.summaryToAppend()).isPresent();
        assertThat(overflows).singleElement().extracting(Overflow::kind).isEqualTo(Overflow.Kind.SUMMARISED);
    }

    @Test
    void measuringNeverSummarisesNorFiresTheListener() {
        h.add(Message.user("u1"), Message.assistant("a1"), Message.user("u2"), Message.assistant("a2"));
        Quota quota = quota(ContextPolicy.summarising(10, 1, m -> {
            throw new AssertionError("summariser called");
        }), 1000);

        assertThat(quota.contextUsage()).isEqualTo(10 + 4 * 6);
        assertThat(overflows).isEmpty();
    }

    @Test
    void aRequestThatCannotFitEvenAfterThePolicyIsAQuotaExceededError() {
        h.add(Message.user("x".repeat(76)));   // 80 tokens: the context is 90 of 100

        Quota quota = quota(ContextPolicy.all(), 100);

        assertThatThrownBy(() -> quota.prepare("y".repeat(16)))     // 20 tokens
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.requested()).isEqualTo(20);
                    assertThat(e.available()).isEqualTo(10);
                    assertThat(e).hasMessage("context quota exceeded: the request needs 20 tokens, 10 available");
                });
        assertThat(overflows).isEmpty();
    }

    @Test
    void aTokenBudgetDropsWhatItCanAndFailsOnlyWhenTheKeptContextLeavesNoRoom() {
        h.add(Message.user("x".repeat(76)));
        Quota quota = quota(ContextPolicy.tokenBudget(60, 10), 100);       // input quota 50; kept: system 7 + priming 3

        Context fits = quota.prepare("y".repeat(36));                     // 40 tokens: the old message goes
        assertThat(TestHistory.texts(fits)).containsExactly("sys", "y".repeat(36));
        assertThat(overflows).extracting(Overflow::kind).containsExactly(Overflow.Kind.DROPPED);

        assertThatThrownBy(() -> quota.prepare("y".repeat(37)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.requested()).isEqualTo(41);
                    assertThat(e.available()).isEqualTo(40);
                });
    }

    @Test
    void aKnownModelBringsItsWindowAndTokenizer() {
        Quota quota = Quota.builder(h.source()).model("gpt-4o-2024-08-06").build();

        assertThat(quota.contextWindow()).isEqualTo(128_000);
        assertThat(quota.tokens().tokenizer()).isSameAs(Tokenizers.o200kBase());
        assertThat(Quota.builder(h.source()).model("my-finetune").contextWindow(32_000).build().contextWindow()).isEqualTo(32_000);
    }

    @Test
    void aModelWithoutAKnownWindowNeedsOneConfigured() {
        assertThatThrownBy(() -> Quota.builder(h.source()).model("my-finetune").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("no context window is known for model 'my-finetune'; configure one with contextWindow(tokens)");
        assertThatThrownBy(() -> Quota.builder(h.source()).build()).isInstanceOf(InvalidInputException.class)
                .hasMessage("a context window is required: name a known model or configure contextWindow(tokens)");
        assertThatThrownBy(() -> Quota.builder(h.source()).contextWindow(0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("contextWindow must be >= 1: 0");
        assertThatThrownBy(() -> Quota.builder(h.source()).model(" ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("model is required");
    }
}
