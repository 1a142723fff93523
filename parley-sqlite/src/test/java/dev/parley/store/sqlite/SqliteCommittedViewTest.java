package dev.parley.store.sqlite;

import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.PointerOp;
import dev.parley.store.SessionPatch;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.Target;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reads a hot session answers from the {@link CommittedView}: they must give exactly what reading the file gives,
 * whoever wrote last, this store or another process.
 */
class SqliteCommittedViewTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TenantId tenant = TenantId.of("acme");
    private final UserId alice = UserId.of("alice");

    private SqliteSessionStore open(boolean readCommitted) {
        return new SqliteSessionStore(dir.resolve("parley.db"), clock, config -> {
        }, readCommitted);
    }

    private EntryDraft message(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private void create(SqliteSessionStore store, SessionId id, Duration idleTtl) {
        store.create(new NewSession(tenant, id, alice, clock.instant(), null, idleTtl, Map.of("title", "t"), Map.of(), List.of()));
    }

    private EntryId append(SqliteSessionStore store, SessionId id, String text) {
        return store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(message(text))).build())
                .appended().getLast().id();
    }

    private EntryId head(SqliteSessionStore store, SessionId id) {
        return store.find(tenant, id).orElseThrow().branch(Names.MAIN).orElseThrow().head();
    }

    @Test
    void aHotSessionIsReadWithoutReadingRowsFromTheFile() {
        SessionId id = SessionId.of("hot");
        try (SqliteSessionStore store = open(true); SqliteSessionStore fromTheFile = open(false)) {
            create(store, id, null);
            // The first read goes to the file and asks for the session: the writer holds it from its next commit on.
            assertThat(store.find(tenant, id)).isPresent();
            append(store, id, "one");
            EntryId last = append(store, id, "two");

            long before = store.accessCounter().entriesRead();
            assertThat(store.find(tenant, id).orElseThrow().info().version()).isEqualTo(3);
            assertThat(store.path(tenant, id, last, 16)).extracting(e -> e.message().orElseThrow().text())
                    .containsExactly("one", "two");
            assertThat(store.entry(tenant, id, EntryId.of(1))).isPresent();
            assertThat(store.accessCounter().entriesRead()).isEqualTo(before);

            // The same reads without the view do read rows: the counter above could have moved.
            fromTheFile.find(tenant, id);
            fromTheFile.path(tenant, id, last, 16);
            assertThat(fromTheFile.accessCounter().entriesRead()).isGreaterThan(0);
        }
    }

    @Test
    void whatAnotherProcessCommitsIsReadAtOnceThoughThisStoreHasNotWrittenSince() {
        SessionId id = SessionId.of("shared");
        try (SqliteSessionStore ours = open(true); SqliteSessionStore theirs = open(true)) {
            create(ours, id, null);
            ours.find(tenant, id); // read once, so our writer holds the session from its next commit on
            EntryId first = append(ours, id, "my card is 4111 1111 1111 1111");
            append(ours, id, "ours 2");
            assertThat(ours.path(tenant, id, head(ours, id), 10)).hasSize(2);

            EntryId theirHead = append(theirs, id, "theirs 1");
            assertThat(head(ours, id)).isEqualTo(theirHead);
            assertThat(ours.path(tenant, id, theirHead, 10)).extracting(e -> e.message().orElseThrow().text())
                    .containsExactly("my card is 4111 1111 1111 1111", "ours 2", "theirs 1");

            theirs.redact(tenant, id, first, new Payload.Redacted(Role.USER, "dpo", clock.instant()), clock.instant());
            assertThat(ours.entry(tenant, id, first).orElseThrow().payload()).isInstanceOf(Payload.Redacted.class);
            assertThat(ours.path(tenant, id, theirHead, 10).getFirst().payload()).isInstanceOf(Payload.Redacted.class);

            theirs.write(tenant, id, WriteRequest.builder(clock.instant()).patch(SessionPatch.metadata(Map.of("title", "theirs"),
                    Set.of())).build());
            assertThat(ours.find(tenant, id).orElseThrow().info().metadata()).containsEntry("title", "theirs");

            theirs.delete(tenant, id);
            assertThat(ours.find(tenant, id)).isEmpty();
            assertThatThrownBy(() -> ours.path(tenant, id, theirHead, 10)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> ours.entry(tenant, id, first)).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aRedactionByThisStoreIsReadAtOnce() {
        SessionId id = SessionId.of("redacted");
        try (SqliteSessionStore store = open(true)) {
            create(store, id, null);
            store.find(tenant, id);
            EntryId secret = append(store, id, "my card is 4111 1111 1111 1111");
            EntryId last = append(store, id, "thanks");
            store.redact(tenant, id, secret, new Payload.Redacted(Role.USER, "dpo", clock.instant()), clock.instant());

            assertThat(store.entry(tenant, id, secret).orElseThrow().payload()).isInstanceOf(Payload.Redacted.class);
            assertThat(store.path(tenant, id, last, 10).getFirst().payload()).isInstanceOf(Payload.Redacted.class);
        }
    }

    @Test
    void aPathLongerThanTheViewHoldsIsCompletedFromTheFile() {
        SessionId id = SessionId.of("long");
        try (SqliteSessionStore store = open(true)) {
            create(store, id, null);
            for (int i = 1; i <= CommittedView.TAIL + 30; i++) {
                append(store, id, "before " + i);
            }
        }
        try (SqliteSessionStore store = open(true); SqliteSessionStore fromTheFile = open(false)) {
            // Reopened: the view holds only what this store writes from now on.
            for (int i = 1; i <= 5; i++) {
                append(store, id, "after " + i);
            }
            EntryId last = head(store, id);
            for (int limit : new int[] {1, 5, 6, 16, CommittedView.TAIL, CommittedView.TAIL + 35, 1000}) {
                assertThat(store.path(tenant, id, last, limit)).as("limit %d", limit)
                        .isEqualTo(fromTheFile.path(tenant, id, last, limit));
            }
            for (int i = 1; i <= CommittedView.TAIL + 10; i++) {
                append(store, id, "more " + i);
            }
            last = head(store, id);
            assertThat(store.path(tenant, id, last, 1000)).isEqualTo(fromTheFile.path(tenant, id, last, 1000))
                    .hasSize(CommittedView.TAIL * 2 + 45);
        }
    }

    @Test
    void theViewHoldsAboutSixteenMillionCharactersAndTheSessionsWrittenLongestAgoAreReadFromTheFileAgain() {
        String tenThousand = "x".repeat(10_000);
        List<SessionId> ids = new ArrayList<>();
        try (SqliteSessionStore store = open(true); SqliteSessionStore fromTheFile = open(false)) {
            // 40 sessions of 48 messages of 10,000 characters: 19.2 million characters, more than the view keeps.
            for (int s = 0; s < 40; s++) {
                SessionId id = SessionId.of("big-" + s);
                ids.add(id);
                create(store, id, null);
                store.find(tenant, id);
                for (int w = 0; w < 6; w++) {
                    List<EntryDraft> drafts = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        drafts.add(message(tenThousand));
                    }
                    store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, drafts).build());
                }
            }
            SessionId newest = ids.getLast();
            long before = store.accessCounter().entriesRead();
            assertThat(store.path(tenant, newest, head(store, newest), 48)).hasSize(48);
            assertThat(store.accessCounter().entriesRead()).as("the newest session is held").isEqualTo(before);

            SessionId oldest = ids.getFirst();
            EntryId oldestHead = head(store, oldest);
            assertThat(store.path(tenant, oldest, oldestHead, 48)).isEqualTo(fromTheFile.path(tenant, oldest, oldestHead, 48));
            assertThat(store.accessCounter().entriesRead()).as("the oldest session is read from the file")
                    .isGreaterThanOrEqualTo(before + 48);
        }
    }

    @Test
    void aConcurrentReaderNeverSeesASessionGoBackAndAWriterAlwaysReadsItsOwnWrite() throws Exception {
        SessionId id = SessionId.of("busy");
        try (SqliteSessionStore store = open(true)) {
            create(store, id, null);
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService readers = Executors.newFixedThreadPool(3);
            try {
                List<Future<Long>> reads = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    reads.add(readers.submit(() -> {
                        long seen = 0;
                        long count = 0;
                        while (writing.get()) {
                            long version = store.find(tenant, id).orElseThrow().info().version();
                            assertThat(version).as("version after %d", seen).isGreaterThanOrEqualTo(seen);
                            seen = version;
                            count++;
                        }
                        return count;
                    }));
                }
                for (int i = 1; i <= 300; i++) {
                    EntryId written = append(store, id, "message " + i);
                    assertThat(head(store, id)).isEqualTo(written);
                    assertThat(store.path(tenant, id, written, 1).getFirst().id()).isEqualTo(written);
                }
                writing.set(false);
                for (Future<Long> read : reads) {
                    assertThat(read.get(1, TimeUnit.MINUTES)).isPositive();
                }
            } finally {
                writing.set(false);
                readers.shutdownNow();
            }
        }
    }

    /**
     * Random writes by this store and by another process, on a few sessions; after each, every read this store answers
     * (from its view or the file) equals reading the file.
     */
    @Test
    void randomWritesByTwoProcessesReadTheSameThroughTheViewAsFromTheFile() {
        long seed = Long.getLong("parley.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("randomWritesByTwoProcessesReadTheSameThroughTheViewAsFromTheFile: seed " + seed
                + " (replay with -Dparley.seed=" + seed + ")");
        Random random = new Random(seed);
        List<SessionId> ids = List.of(SessionId.of("s1"), SessionId.of("s2"), SessionId.of("s3"));
        try (SqliteSessionStore ours = open(true); SqliteSessionStore theirs = open(true);
             SqliteSessionStore fromTheFile = open(false)) {
            for (int step = 0; step < 400; step++) {
                SqliteSessionStore writer = random.nextInt(4) == 0 ? theirs : ours;
                SessionId id = ids.get(random.nextInt(ids.size()));
                String what = randomWrite(random, writer, id, step);
                String context = "seed " + seed + ", step " + step + ": " + what + (writer == theirs ? " by the other process" : "");
                for (SessionId each : ids) {
                    assertSameReads(ours, fromTheFile, each, random, context);
                }
            }
        }
    }

    private String randomWrite(Random random, SqliteSessionStore writer, SessionId id, int step) {
        Optional<SessionSnapshot> session = writer.find(tenant, id);
        if (session.isEmpty()) {
            create(writer, id, random.nextInt(3) == 0 ? Duration.ofMinutes(5) : null);
            return "create " + id;
        }
        int choice = random.nextInt(20);
        if (choice < 11) {
            int n = 1 + random.nextInt(3);
            List<EntryDraft> drafts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String text = "step " + step + " #" + i;
                Instant at = random.nextInt(15) == 0 ? clock.instant().plusNanos(1_234) : clock.instant();
                drafts.add(new EntryDraft(at, EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text))));
            }
            String branch = random.nextInt(4) == 0 && session.get().branch("alt").isPresent() ? "alt" : Names.MAIN;
            writer.write(tenant, id, WriteRequest.builder(clock.instant()).append(branch, drafts).build());
            return "append " + n + " to " + id + " " + branch;
        }
        int last = (int) session.get().info().lastSeq();
        if (choice < 13 && last > 0) {
            EntryId entry = EntryId.of(1 + random.nextInt(last));
            try {
                writer.redact(tenant, id, entry, new Payload.Redacted(Role.USER, "dpo", clock.instant()), clock.instant());
                return "redact " + id + " " + entry;
            } catch (RuntimeException refused) {
                return "redact " + id + " " + entry + " refused: " + refused.getMessage();
            }
        }
        if (choice < 15 && last > 0) {
            EntryId at = EntryId.of(1 + random.nextInt(last));
            PointerOp.Mode mode = session.get().branch("alt").isPresent() ? PointerOp.Mode.MOVE : PointerOp.Mode.CREATE;
            String name = random.nextBoolean() ? "alt" : Names.MAIN;
            if (name.equals(Names.MAIN)) {
                mode = PointerOp.Mode.MOVE;
            }
            writer.write(tenant, id, WriteRequest.builder(clock.instant()).op(new PointerOp.SetBranch(name, Target.at(at), mode)).build());
            return "move " + name + " of " + id + " to " + at;
        }
        if (choice < 16) {
            writer.delete(tenant, id);
            return "delete " + id;
        }
        if (choice < 18) {
            writer.write(tenant, id, WriteRequest.builder(clock.instant())
                    .patch(SessionPatch.metadata(Map.of("title", "step " + step), Set.of())).build());
            return "retitle " + id;
        }
        clock.advance(Duration.ofMinutes(random.nextInt(4)).plusMillis(random.nextInt(1000)));
        return "advance the clock to " + clock.instant();
    }

    private void assertSameReads(SqliteSessionStore ours, SqliteSessionStore fromTheFile, SessionId id, Random random, String context) {
        Optional<SessionSnapshot> expected = fromTheFile.find(tenant, id);
        Optional<SessionSnapshot> actual = ours.find(tenant, id);
        assertThat(actual).as(context + ": find " + id).isEqualTo(expected);
        if (expected.isEmpty()) {
            return;
        }
        SessionInfo info = expected.get().info();
        for (Branch branch : expected.get().branches().values()) {
            if (branch.head() == null) {
                continue;
            }
            for (int limit : new int[] {1, 3, 16, 1000}) {
                List<Entry> path = fromTheFile.path(tenant, id, branch.head(), limit);
                assertThat(ours.path(tenant, id, branch.head(), limit)).as(context + ": path of " + id + " " + branch.name()
                        + " limit " + limit).isEqualTo(path);
            }
        }
        if (info.lastSeq() > 0) {
            EntryId entry = EntryId.of(1 + random.nextInt((int) info.lastSeq() + 1));
            assertThat(ours.entry(tenant, id, entry)).as(context + ": entry " + entry + " of " + id)
                    .isEqualTo(fromTheFile.entry(tenant, id, entry));
        }
    }
}
