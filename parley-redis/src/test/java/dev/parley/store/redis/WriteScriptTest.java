package dev.parley.store.redis;

import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.AccessCounter;
import dev.parley.store.EntryDraft;
import dev.parley.store.Idempotency;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.NewSession;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;
import dev.parley.store.WritePlan;
import dev.parley.store.WritePlanner;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write script's own checks, which are what keep several processes correct: a plan made against a
 * version (or an idempotency record) that has moved on lands nothing, and a vault row or id already
 * taken is refused inside Redis even where no planner looked.
 */
class WriteScriptTest {
    private static final String PREFIX = TestRedis.newPrefix("script");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("t" + SessionId.random().value().substring(0, 12));
    private final SessionId id = SessionId.random();
    private RedisSessionStore store;
    private Redis redis;
    private Backend backend;
    private SessionKeys keys;

    @BeforeEach
    void open() {
        TestRedis.require();
        store = RedisSessionStore.builder().url(TestRedis.URL).keyPrefix(PREFIX).clock(clock).build();
        redis = Redis.connect(RedisLocation.parse(TestRedis.URL).withPrefix(PREFIX));
        backend = new Backend(redis, new Keys(PREFIX), clock, new AccessCounter());
        keys = backend.keys().session(tenant, id);
        store.create(new NewSession(tenant, id, UserId.of("alice"), clock.instant(), null, null, Map.of(), Map.of(),
                List.of(msg("a"))));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            redis.close();
        }
    }

    @AfterAll
    static void deleteTheKeysOfThisRun() {
        TestRedis.deleteKeys(PREFIX);
    }

    private EntryDraft msg(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private WriteRequest append(String text) {
        return WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(msg(text))).build();
    }

    private Mutation mutationOf(Planning planning, WritePlan plan) {
        return Mutation.update(planning.uid(), planning.snapshot().info().version()).info(plan.info()).entries(plan.entries())
                .branches(plan.branches().values()).vault(plan.vaultRows());
    }

    @Test
    void aPlanMadeAgainstAVersionThatMovedOnLandsNothing() {
        Planning planning = Planning.read(backend, keys, append("stale"), null).orElseThrow();
        WritePlan plan = WritePlanner.plan(planning, append("stale"));
        store.write(tenant, id, append("meanwhile"));
        SessionSnapshot before = store.find(tenant, id).orElseThrow();

        assertThat(mutationOf(planning, plan).apply(backend, keys, "test")).isEqualTo(Mutation.Outcome.RETRY);

        assertThat(store.find(tenant, id)).contains(before);
        assertThat(store.entries(tenant, id, 0, 10)).extracting(e -> e.message().orElseThrow().text()).containsExactly("a", "meanwhile");
    }

    @Test
    void aPlanMadeBeforeItsIdempotencyKeyWasClaimedLandsNothing() {
        WriteRequest request = WriteRequest.builder(clock.instant()).idempotency(new Idempotency("turn-1", "h"))
                .append(Names.MAIN, List.of(msg("q"))).build();
        Planning planning = Planning.read(backend, keys, request, null).orElseThrow();
        WritePlan plan = WritePlanner.plan(planning, request);
        assertThat(store.claimIdempotency(tenant, id, "turn-1", "other", clock.instant())).isEmpty();

        Mutation mutation = mutationOf(planning, plan).idempotency("turn-1", planning.idempotencyRaw("turn-1"), plan.idempotency(),
                clock.instant().minus(IdempotencyRecord.RETENTION));
        assertThat(mutation.apply(backend, keys, "test")).isEqualTo(Mutation.Outcome.RETRY);
        assertThat(store.entries(tenant, id, 0, 10)).hasSize(1);
    }

    @Test
    void aPlaceholderOrValueAlreadyIssuedIsRefusedInsideRedisEvenAtTheExpectedVersion() {
        store.write(tenant, id, WriteRequest.builder(clock.instant()).vault(List.of(new VaultRow("<EMAIL_1>", "lk-1", "c1"))).build());
        for (VaultRow clash : List.of(new VaultRow("<EMAIL_1>", "lk-2", "c2"), new VaultRow("<EMAIL_2>", "lk-1", "c2"))) {
            Planning planning = Planning.read(backend, keys, append("x"), null).orElseThrow();
            WritePlan plan = WritePlanner.plan(planning, append("x"));
            Mutation mutation = Mutation.update(planning.uid(), planning.snapshot().info().version()).info(plan.info())
                    .entries(plan.entries()).vault(List.of(clash));

            assertThat(mutation.apply(backend, keys, "test")).isEqualTo(Mutation.Outcome.VAULT);
        }
        assertThat(store.vault(tenant, id)).containsExactly(new VaultRow("<EMAIL_1>", "lk-1", "c1"));
        assertThat(store.entries(tenant, id, 0, 10)).hasSize(1);
    }

    @Test
    void creatingOverALiveSessionIsRefusedInsideRedisAndChangesNothing() {
        SessionSnapshot before = store.find(tenant, id).orElseThrow();
        Mutation mutation = Mutation.create(SessionRef.newUid(), "not-the-current-one").info(before.info());

        assertThat(mutation.apply(backend, keys, "test")).isEqualTo(Mutation.Outcome.EXISTS);
        assertThat(store.find(tenant, id)).contains(before);
    }
}
