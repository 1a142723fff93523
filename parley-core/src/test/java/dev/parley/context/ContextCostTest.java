package dev.parley.context;

import dev.parley.domain.Message;
import dev.parley.store.EntryDraft;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Building a context costs O(window), not O(history): checked by counting store reads, never by timing. */
class ContextCostTest {

    /** A history of {@code size} entries after the system prompt whose last entries are the same whatever the size. */
    private static TestHistory history(int size) {
        TestHistory h = TestHistory.withSystemPrompt("you are a travel agent");
        List<EntryDraft> drafts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            drafts.add(TestHistory.draft(switch (i % 10) {
                case 3 -> TestHistory.call("c" + i);
                case 4 -> TestHistory.result("c" + (i - 1));
                default -> i % 2 == 0 ? Message.user("what about a hotel near the old town, number " + i % 10)
                        : Message.assistant("there are three good options near the old town; the second is the quietest");
            }));
            if (drafts.size() == 1_000) {
                h.append(drafts);
                drafts.clear();
            }
        }
        if (!drafts.isEmpty()) {
            h.append(drafts);
        }
        return h;
    }

    private static long readsToBuild(TestHistory h, ContextPolicy policy) {
        long before = h.store.accessCounter().entriesRead();
        h.build(policy);
        return h.store.accessCounter().entriesRead() - before;
    }

    @Test
    void aTokenBudgetContextReadsTheSameWhateverTheLengthOfTheHistory() {
        ContextPolicy policy = ContextPolicy.tokenBudget(4_000, 0);
        TestHistory small = history(100);
        TestHistory medium = history(1_000);
        TestHistory large = history(10_000);
        int window = large.build(policy).entries().size();

        long atSmall = readsToBuild(small, policy);
        long atMedium = readsToBuild(medium, policy);
        long atLarge = readsToBuild(large, policy);

        assertThat(window).as("the window must be shorter than the small history for the test to mean anything").isLessThan(90);
        assertThat(atLarge).isEqualTo(atMedium);
        assertThat(atSmall).isLessThanOrEqualTo(atLarge);
        assertThat(atLarge).as("reads for a window of %d entries", window).isLessThanOrEqualTo(2L * window + 16);
    }

    @Test
    void lastMessagesReadsTheSameWhateverTheLengthOfTheHistory() {
        ContextPolicy policy = ContextPolicy.lastMessages(20);

        assertThat(readsToBuild(history(10_000), policy)).isEqualTo(readsToBuild(history(1_000), policy));
    }

    @Test
    void allReadsOnlyBackToTheLatestSummary() {
        TestHistory medium = history(1_000);
        TestHistory large = history(10_000);
        for (TestHistory h : List.of(medium, large)) {
            h.appendSummary(h.build(ContextPolicy.summarising(1_000, 10, new DeterministicSummariser())));
            h.add(Message.user("and a restaurant?"));
        }

        assertThat(readsToBuild(large, ContextPolicy.all())).isEqualTo(readsToBuild(medium, ContextPolicy.all()))
                .isLessThan(40);
    }

    @Test
    void pinsFarBackCostPointLookupsNotAWalk() {
        TestHistory medium = history(1_000);
        TestHistory large = history(10_000);
        for (TestHistory h : List.of(medium, large)) {
            h.pin(h.path().get(2).id());
            h.pin(h.path().get(5).id());
        }

        assertThat(readsToBuild(large, ContextPolicy.lastMessages(5))).isEqualTo(readsToBuild(medium, ContextPolicy.lastMessages(5)));
    }

    @Test
    void theCountersReallyCountReads() {
        assertThat(readsToBuild(history(1_000), ContextPolicy.all())).isGreaterThan(1_000);
    }
}
