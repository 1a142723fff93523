package dev.parley.store.postgres;

import dev.parley.StoreException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The committer threads alone, with a stand-in for the transaction, so batching is observed exactly. */
class GroupCommitterTest {
    private static final WriteResult DONE = new WriteResult(1, List.of(), false);

    private static PendingWrite write(int n) {
        return new PendingWrite(TenantId.DEFAULT, SessionId.of("s" + n), WriteRequest.builder(Instant.EPOCH).build());
    }

    /** A transaction stand-in that records batch sizes and holds the first batch until released. */
    private static final class HeldExecutor {
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void execute(List<PendingWrite> batch) {
            sizes.add(batch.size());
            if (sizes.size() == 1) {
                firstStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            batch.forEach(w -> w.succeed(DONE));
        }
    }

    /** {@code committers} committer threads that all run their batches through {@code lane}. */
    private static GroupCommitter committer(int committers, Duration gatherWindow, GroupCommitter.Lane lane) {
        return new GroupCommitter(committers, gatherWindow, () -> lane);
    }

    private static void awaitQueued(GroupCommitter committer, int n) {
        for (long spins = 0; committer.queued() < n; spins++) {
            if (spins > 1_000_000_000L) {
                throw new AssertionError("only " + committer.queued() + " of " + n + " writes were queued");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Submits one write, which {@code executor} holds, then {@code queued} more while it is held; releases it and
     * checks every write completed.
     */
    private static void heldThenQueued(GroupCommitter committer, HeldExecutor executor, int queued) throws Exception {
        CompletableFuture<WriteResult> first = CompletableFuture.supplyAsync(() -> committer.submit(write(0)),
                Thread::startVirtualThread);
        assertThat(executor.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<WriteResult>> waiting = new ArrayList<>();
        for (int i = 1; i <= queued; i++) {
            int n = i;
            waiting.add(CompletableFuture.supplyAsync(() -> committer.submit(write(n)), Thread::startVirtualThread));
        }
        awaitQueued(committer, queued);
        executor.release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
        for (CompletableFuture<WriteResult> w : waiting) {
            assertThat(w.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
        }
    }

    @Test
    void writesArrivingWhileABatchCommitsAllJoinTheNextBatch() throws Exception {
        HeldExecutor executor = new HeldExecutor();
        try (GroupCommitter committer = committer(1, Duration.ZERO, executor::execute)) {
            heldThenQueued(committer, executor, 10);
            assertThat(executor.sizes).containsExactly(1, 10);
        }
    }

    @Test
    void everyWriteToOneSessionIsCommittedByTheSameCommitter() throws Exception {
        Map<SessionId, Set<String>> committersBySession = new ConcurrentHashMap<>();
        GroupCommitter committer = committer(4, Duration.ZERO, batch -> batch.forEach(w -> {
            committersBySession.computeIfAbsent(w.id, id -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            w.succeed(DONE);
        }));
        try {
            List<CompletableFuture<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i % 20;
                writes.add(CompletableFuture.supplyAsync(() -> committer.submit(write(n)), Thread::startVirtualThread));
            }
            for (CompletableFuture<WriteResult> w : writes) {
                assertThat(w.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
            }
        } finally {
            committer.close();
        }
        assertThat(committersBySession).hasSize(20).allSatisfy((session, names) -> assertThat(names).hasSize(1));
        assertThat(committersBySession.values().stream().flatMap(Set::stream).distinct().count()).isGreaterThan(1);
    }

    @Test
    void closingLetsTheCommittersFinishEveryQueuedWriteThenRefusesNewOnes() throws Exception {
        HeldExecutor executor = new HeldExecutor();
        GroupCommitter committer = committer(1, Duration.ZERO, executor::execute);
        CompletableFuture<WriteResult> first = CompletableFuture.supplyAsync(() -> committer.submit(write(0)));
        assertThat(executor.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<WriteResult> queued = CompletableFuture.supplyAsync(() -> committer.submit(write(1)),
                Thread::startVirtualThread);
        awaitQueued(committer, 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(committer::close, Thread::startVirtualThread);
        executor.release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
        assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
        assertThatThrownBy(() -> committer.submit(write(2))).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    @Test
    void aBatchThatThrowsFailsEachOfItsWritesInsteadOfStrandingThem() {
        try (GroupCommitter committer = committer(1, Duration.ZERO, batch -> {
            throw new IllegalStateException("boom");
        })) {
            assertThatThrownBy(() -> committer.submit(write(0))).isInstanceOf(StoreException.class).hasMessageContaining("boom");
        }
    }

    /** Brings {@code committer} to a last batch of five writes, through a held first batch of one. */
    private static void lastBatchOfFive(GroupCommitter committer, HeldExecutor executor) throws Exception {
        heldThenQueued(committer, executor, 5);
        assertThat(executor.sizes).containsExactly(1, 5);
    }

    @Test
    void underLoadACommitterWaitsWithinItsWindowForABatchAsLargeAsItsLastOne() throws Exception {
        HeldExecutor executor = new HeldExecutor();
        try (GroupCommitter committer = committer(1, Duration.ofHours(1), executor::execute)) {
            lastBatchOfFive(committer, executor);

            CompletableFuture<WriteResult> early = CompletableFuture.supplyAsync(() -> committer.submit(write(6)),
                    Thread::startVirtualThread);
            // Time for the committer to take the early write alone; were it not to wait, it would commit it alone.
            Thread.sleep(50);
            List<CompletableFuture<WriteResult>> late = new ArrayList<>();
            for (int i = 7; i <= 10; i++) {
                int n = i;
                late.add(CompletableFuture.supplyAsync(() -> committer.submit(write(n)), Thread::startVirtualThread));
            }
            assertThat(early.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
            for (CompletableFuture<WriteResult> w : late) {
                assertThat(w.get(30, TimeUnit.SECONDS)).isEqualTo(DONE);
            }
            assertThat(executor.sizes).as("the early write waited for the four after it").containsExactly(1, 5, 5);
        }
    }

    @Test
    void whenTheWindowEndsTheBatchRunsWithWhatCame() throws Exception {
        HeldExecutor executor = new HeldExecutor();
        try (GroupCommitter committer = committer(1, Duration.ofMillis(20), executor::execute)) {
            lastBatchOfFive(committer, executor);
            assertThat(committer.submit(write(6))).isEqualTo(DONE);
            assertThat(executor.sizes).containsExactly(1, 5, 1);
        }
    }

    @Test
    void aLoneWriterIsNeverKeptWaiting() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (GroupCommitter committer = committer(1, Duration.ofHours(1), batch -> {
            sizes.add(batch.size());
            batch.forEach(w -> w.succeed(DONE));
        })) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20; i++) {
                    assertThat(committer.submit(write(i))).isEqualTo(DONE);
                }
            }, Thread::startVirtualThread);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(sizes).hasSize(20).containsOnly(1);
        }
    }
}
