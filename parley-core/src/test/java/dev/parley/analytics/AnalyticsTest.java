package dev.parley.analytics;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.Role;
import dev.parley.domain.UserId;
import dev.parley.store.WriteRequest;
import dev.parley.store.memory.InMemorySessionStore;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyticsTest {
    private final MutableClock clock = MutableClock.startingAt("2026-05-01T10:00:00Z");
    private final Parley parley = Parley.builder().store(new InMemorySessionStore(clock)).clock(clock).build();

    private void modelCall(Session s, String model, long in, long out, long latencyMs) {
        WriteRequest.Builder request = WriteRequest.builder(clock.instant());
        Counters.forModelCall(model, in, out, Duration.ofMillis(latencyMs)).forEach(request::counter);
        parley.store().write(parley.tenant(), s.id(), request.build());
    }

    @Test
    void sessionAnalyticsComeFromTheCountersTheStoreKeeps() {
        Session s = parley.create(SessionSpec.builder().user("alice").systemPrompt("sys").build());
        s.add(Message.user("1234"));
        clock.advance(Duration.ofMinutes(2));
        s.add(List.of(Message.assistant("123456"), Message.user("12")));
        for (long latency : new long[]{40, 90, 90, 200, 2_000}) {
            modelCall(s, "gpt-4o", 1_000, 100, latency);
        }

        Analytics a = s.analytics(PriceTable.empty().price("gpt-4o", "2.50", "10.00"));

        assertThat(a.messagesByRole()).containsEntry(Role.USER, 2L).containsEntry(Role.ASSISTANT, 1L).containsEntry(Role.SYSTEM, 0L);
        assertThat(a.averageLengthByRole().get(Role.USER)).isEqualTo(3.0);
        assertThat(a.averageLengthByRole().get(Role.ASSISTANT)).isEqualTo(6.0);
        assertThat(a.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(a.messagesPerMinute()).isEqualTo(1.5);
        assertThat(a.tokensIn()).isEqualTo(5_000);
        assertThat(a.tokensOut()).isEqualTo(500);
        assertThat(a.modelCalls()).isEqualTo(5);
        assertThat(a.latencyP50()).isEqualTo(Duration.ofMillis(100));
        assertThat(a.latencyP95()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(a.cost()).isEqualByComparingTo(new BigDecimal("0.0175"));
        assertThat(a.unpricedModels()).isEmpty();
    }

    @Test
    void aggregatesSumAUsersOrTheTenantsSessionsAndNameUnpricedModels() {
        Session a = parley.create(SessionSpec.builder().user("alice").build());
        Session b = parley.create(SessionSpec.builder().user("alice").build());
        Session c = parley.create(SessionSpec.builder().user("bob").build());
        a.add(Message.user("hi"));
        b.add(Message.user("hey"));
        c.add(Message.user("yo"));
        modelCall(c, "claude-x", 10, 10, 10);

        assertThat(parley.analytics(UserId.of("alice"), PriceTable.empty()).messages()).isEqualTo(2);
        Analytics tenant = parley.analytics(null, PriceTable.empty());
        assertThat(tenant.messages()).isEqualTo(3);
        assertThat(tenant.unpricedModels()).containsExactly("claude-x");
        assertThat(tenant.latencyP50()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aModelsCountersAreNamedByItsNameInLowerCaseWithOddCharactersReplaced() {
        assertThat(Counters.forModelCall("Org/Llama 3:8B-é", 7, 2, Duration.ofMillis(5)))
                .containsEntry("model.org_llama_3_8b-_.tokens.in", 7L)
                .containsEntry("model.org_llama_3_8b-_.tokens.out", 2L);
        assertThat(Counters.forModelCall("gpt-4o.mini_x", 1, 1, Duration.ofMillis(5)))
                .containsKey("model.gpt-4o.mini_x.tokens.in");
    }
}
