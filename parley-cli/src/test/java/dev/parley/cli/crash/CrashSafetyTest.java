package dev.parley.cli.crash;

import dev.parley.Parley;
import dev.parley.cli.ChildJvm;
import dev.parley.cli.TestPostgres;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionImages;
import dev.parley.store.SessionStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Kills a writer process with SIGKILL while it appends under load, a few times over the same store,
 * and checks after each kill that the store opens cleanly, that every append the writer
 * acknowledged is there with its content on its branch, and that nothing is half-written.
 */
class CrashSafetyTest {
    private static final int SESSIONS = 3;
    private static final int THREADS = 4;
    private static final int ROUNDS = 3;
    private static final int ACKS_BEFORE_KILL = 300;
    /** A bound on waiting for a writer that is stuck, not a measurement: a healthy one needs a fraction of it. */
    private static final long ACK_WAIT_SECONDS = 90;
    /** 128 + 9: how a process ended by SIGKILL reports its exit on Linux. */
    private static final int KILLED_BY_SIGKILL = 137;
    private static final Pattern TEXT = Pattern.compile("r\\d+-t\\d+-n\\d+");

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesSigkillOfTheWriterOnSqlite() throws Exception {
        survivesKills("sqlite:" + dir.resolve("crash.db"));
    }

    @Test
    void everyAcknowledgedAppendSurvivesSigkillOfTheWriterOnJsonlFiles() throws Exception {
        survivesKills("jsonl:" + dir.resolve("crash-jsonl"));
    }

    @Test
    void everyAcknowledgedAppendSurvivesSigkillOfTheWriterOnPostgres() throws Exception {
        TestPostgres.require();
        String schema = TestPostgres.freshSchema("parley_crash");
        try {
            survivesKills(TestPostgres.location(schema));
        } finally {
            TestPostgres.drop(schema);
        }
    }

    private void survivesKills(String location) throws Exception {
        Map<String, Ack> acknowledged = new HashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            List<Ack> acks = runAndKill(location, round);
            assertThat(acks).as("acks of round %d", round).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            for (Ack ack : acks) {
                Ack earlier = acknowledged.put(ack.session() + "#" + ack.seq(), ack);
                assertThat(earlier).as("seq %d of %s acknowledged twice (%s, then %s)", ack.seq(), ack.session(), earlier, ack).isNull();
            }
            long stored = verify(location, acknowledged.values());
            System.out.printf("%s round %d: %d appends acknowledged before SIGKILL; the store holds %d appended entries,"
                    + " %d acknowledged in all rounds%n", location, round, acks.size(), stored, acknowledged.size());
        }
        try (Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build()) {
            Entry after = parley.open(SessionId.of("crash-0")).on("main").add(Message.user("after the crashes"));
            assertThat(parley.open(SessionId.of("crash-0")).on("main").history(1)).containsExactly(after);
        }
    }

    private List<Ack> runAndKill(String location, int round) throws Exception {
        Path stdout = dir.resolve("writer-" + round + ".out");
        Path stderr = dir.resolve("writer-" + round + ".err");
        ProcessBuilder builder = ChildJvm.of(AppendingWriter.class, location, String.valueOf(round), String.valueOf(SESSIONS),
                String.valueOf(THREADS));
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process writer = builder.start();
        AckLog log = new AckLog(stdout);
        boolean enough = log.awaitAcks(ACKS_BEFORE_KILL, writer, ACK_WAIT_SECONDS * 1000);
        // destroyForcibly() is kill(pid, SIGKILL) on Linux: no shutdown hook, no close(), no flush runs in the writer.
        writer.destroyForcibly();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("the writer died").isTrue();
        log.readNew();
        if (!enough) {
            fail("round " + round + ": the writer acknowledged " + log.acks().size() + " appends, not " + ACKS_BEFORE_KILL
                    + "; its stderr:\n" + Files.readString(stderr));
        }
        assertThat(writer.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(KILLED_BY_SIGKILL);
        assertThat(log.malformed()).as("lines of the writer that are not acks").isEmpty();
        return log.acks();
    }

    /** Checks the store against every ack so far; returns how many appended entries (not system prompts) it holds. */
    private static long verify(String location, java.util.Collection<Ack> acknowledged) {
        long stored = 0;
        Map<String, List<Ack>> bySession = new HashMap<>();
        acknowledged.forEach(a -> bySession.computeIfAbsent(a.session(), s -> new ArrayList<>()).add(a));
        try (Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build()) {
            for (int i = 0; i < SESSIONS; i++) {
                SessionId id = SessionId.of("crash-" + i);
                SessionImage image = parley.export(id);
                SessionImages.validate(image);
                Map<Long, Entry> bySeq = new HashMap<>();
                Set<String> texts = new HashSet<>();
                for (Entry entry : image.entries()) {
                    bySeq.put(entry.seq(), entry);
                    assertThat(entry.kind()).as("kind of entry %d of %s", entry.seq(), id).isEqualTo(EntryKind.MESSAGE);
                    String text = entry.message().orElseThrow().text();
                    if (entry.seq() > 1) {
                        stored++;
                        assertThat(text).as("text of entry %d of %s", entry.seq(), id).matches(TEXT);
                        assertThat(texts.add(text)).as("%s appended once, found twice in %s", text, id).isTrue();
                    } else {
                        assertThat(text).as("system prompt of %s", id).isEqualTo(AppendingWriter.SYSTEM_PROMPT);
                    }
                }
                Map<String, Set<Long>> onBranch = new HashMap<>();
                for (Branch branch : image.branches()) {
                    onBranch.put(branch.name(), pathSeqs(parley, id, branch));
                }
                for (Ack ack : bySession.getOrDefault(id.value(), List.of())) {
                    Entry entry = bySeq.get(ack.seq());
                    assertThat(entry).as("acknowledged %s", ack).isNotNull();
                    assertThat(entry.message().orElseThrow().text()).as("content of acknowledged %s", ack).isEqualTo(ack.text());
                    assertThat(onBranch.get(ack.branch())).as("path of branch %s of %s", ack.branch(), id).contains(ack.seq());
                }
            }
        }
        return stored;
    }

    /** The seqs of a branch's path, checking that each entry follows its parent and seq grows from root to head. */
    private static Set<Long> pathSeqs(Parley parley, SessionId id, Branch branch) {
        List<Entry> path = parley.store().path(TenantId.DEFAULT, id, branch.head(), Integer.MAX_VALUE);
        Set<Long> seqs = new HashSet<>();
        Entry previous = null;
        for (Entry entry : path) {
            if (previous == null) {
                assertThat(entry.parent()).as("root of branch %s of %s", branch.name(), id).isNull();
            } else {
                assertThat(entry.parent()).as("parent of entry %d of %s", entry.seq(), id).isEqualTo(previous.id());
                assertThat(entry.seq()).as("seq along branch %s of %s", branch.name(), id).isGreaterThan(previous.seq());
            }
            seqs.add(entry.seq());
            previous = entry;
        }
        assertThat(path.getLast().id()).isEqualTo(branch.head());
        return seqs;
    }
}
