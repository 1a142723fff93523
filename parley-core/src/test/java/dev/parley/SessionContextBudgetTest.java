package dev.parley;

import dev.parley.context.Context;
import dev.parley.context.ContextPolicy;
import dev.parley.context.Quota;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionContextBudgetTest {

    @Test
    void aSessionBuildsItsContextAndQuotaThroughThePolicy() {
        try (Parley parley = Parley.inMemory()) {
            Session s = parley.create(SessionSpec.builder().systemPrompt("Be brief.").build());
            for (int i = 0; i < 50; i++) {
                s.add(Message.user("question number " + i + " about the weather in Zürich"));
                s.add(Message.assistant("answer number " + i + ": it is sunny"));
            }
            Context context = s.context(ContextPolicy.lastMessages(4), "gpt-4o");
            assertThat(context.toMessages()).extracting(Message::text).first().isEqualTo("Be brief.");
            assertThat(context.toMessages()).hasSize(5);
            assertThat(context.truncated()).isTrue();

            Quota quota = s.quota().model("gpt-4o").policy(ContextPolicy.tokenBudget(4000, 500)).build();
            assertThat(quota.contextWindow()).isEqualTo(128_000);
            assertThat(quota.contextUsage()).isPositive().isLessThanOrEqualTo(3500);
            assertThat(quota.level()).isEqualTo(Quota.Level.SAFE);
        }
    }

    @Test
    void budgetsAreReservedAcrossSessionUserAndTenantAndNeverOverspentConcurrently() throws Exception {
        try (Parley parley = Parley.builder().budgetLimits(new BudgetLimits(null, 1_000L, null)).build()) {
            Session a = parley.create(SessionSpec.builder().user("alice").tokenBudget(600).build());
            Session b = parley.create(SessionSpec.builder().user("alice").build());
            AtomicInteger granted = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Session s = t % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            s.budget().reserve(50);
                            granted.incrementAndGet();
                        } catch (BudgetExceededException e) {
                            assertThat(e.requested()).isEqualTo(50);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(granted).hasValue(20);
            assertThat(a.budget().usedBySession()).isLessThanOrEqualTo(600);
            assertThat(a.budget().usedByUser()).isEqualTo(1_000);
            assertThat(b.budget().remaining()).isZero();

            Budget.Reservation r = new Budget.Reservation(50, List.of(
                    new dev.parley.store.BudgetKey(dev.parley.store.BudgetKey.Level.USER, "alice")));
            a.budget().settle(r, 10);
            assertThat(a.budget().usedByUser()).isEqualTo(960);
            assertThatThrownBy(() -> a.budget().reserve(-1)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void withoutAnyLimitAReservationHoldsNothingBackAndTheSettlementRecordsWhatWasUsed() {
        try (Parley parley = Parley.inMemory()) {
            Session s = parley.create(SessionSpec.builder().user("carol").build());

            Budget.Reservation r = s.budget().reserve(5_000);

            assertThat(r.tokens()).isZero();
            assertThat(s.budget().usedBySession()).isZero();
            assertThat(s.budget().usedByUser()).isZero();
            s.budget().settle(r, 120);
            assertThat(s.budget().usedBySession()).isEqualTo(120);
            assertThat(s.budget().usedByUser()).isEqualTo(120);
            assertThat(s.budget().usedByTenant()).isEqualTo(120);
            assertThat(s.budget().remaining()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void aSessionsOwnLimitMakesAReservationHoldItsTokensUntilSettled() {
        try (Parley parley = Parley.inMemory()) {
            Session s = parley.create(SessionSpec.builder().user("dave").tokenBudget(10_000).build());

            Budget.Reservation r = s.budget().reserve(5_000);

            assertThat(r.tokens()).isEqualTo(5_000);
            assertThat(s.budget().usedBySession()).isEqualTo(5_000);
            assertThat(s.budget().usedByUser()).isEqualTo(5_000);
            assertThatThrownBy(() -> s.budget().reserve(5_001)).isInstanceOf(BudgetExceededException.class);
            s.budget().settle(r, 120);
            assertThat(s.budget().usedBySession()).isEqualTo(120);
            assertThat(s.budget().remaining()).isEqualTo(10_000 - 120);
        }
    }

    @Test
    void theInitialContextCannotBeEditedBecauseEveryBranchSharesIt() {
        try (Parley parley = Parley.inMemory()) {
            Session s = parley.create(SessionSpec.builder().systemPrompt("sys").build());
            Entry q = s.add(Message.user("q"));
            assertThatThrownBy(() -> s.edit(s.history().getFirst().id(), Message.system("other")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("initial context");
            assertThat(s.edit(q.id(), Message.user("q2")).parent()).isEqualTo(q.parent());
        }
    }
}
