package dev.parley.store.jsonl;

import dev.parley.StoreException;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a crash, a damaged file or a second process can do to the directory, and how the store reacts. */
class JsonlRecoveryTest {
    private final MutableClock clock = MutableClock.startingAt("2026-03-01T09:00:00Z");
    private final TenantId tenant = TenantId.of("acme");
    private final SessionId id = SessionId.of("chat");

    @TempDir
    Path dir;

    private JsonlSessionStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private JsonlSessionStore reopen() {
        if (store != null) {
            store.close();
            store = null;
        }
        store = new JsonlSessionStore(dir, clock);
        return store;
    }

    private Path sessionFile() {
        return dir.resolve("acme").resolve("sessions").resolve("chat.jsonl");
    }

    private void createWithMessages(String... texts) {
        store.create(new NewSession(tenant, id, UserId.of("alice"), clock.instant(), null, null, Map.of(), Map.of(), List.of()));
        for (String text : texts) {
            append(text);
        }
    }

    private void append(String text) {
        store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(
                new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text))))).build());
    }

    private List<String> texts() {
        return store.entries(tenant, id, 0, 100).stream().map(e -> e.message().orElseThrow().text()).toList();
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    @ParameterizedTest(name = "tail {0}")
    @ValueSource(strings = {
            "{\"v\":1,\"op\":\"write\",\"entries\":[{\"id\":3,\"par",
            "{\"v\":1,\"op\":\"write\",\"entries\":[{\"id\":3,\"par\n",
            "\u0000\u0000\u0000\u0000\u0000\u0000",
            "{\"v\":1,\"op\":\"write\"} trailing\n"})
    void aTornLastLineIsIgnoredCutAwayAndLaterWritesWork(String tail) throws IOException {
        reopen();
        createWithMessages("one", "two");
        long goodSize = Files.size(sessionFile());
        store.close();
        store = null;
        appendBytes(sessionFile(), tail.getBytes(StandardCharsets.UTF_8));

        reopen();

        assertThat(texts()).containsExactly("one", "two");
        assertThat(Files.size(sessionFile())).isEqualTo(goodSize);
        append("three");
        reopen();
        assertThat(texts()).containsExactly("one", "two", "three");
    }

    @Test
    void aHalfSurrogatePairWrittenBeforeTheyWereRefusedOpensAsTheReplacementCharacter() throws IOException {
        reopen();
        createWithMessages("one", "half-PAIR");
        store.close();
        store = null;
        // Jackson wrote a lone surrogate escaped; Parley accepted them then.
        Files.writeString(sessionFile(), Files.readString(sessionFile()).replace("half-PAIR", "half\\ud83d"));

        reopen();

        assertThat(texts()).containsExactly("one", "half\uFFFD");
        append("three");
        assertThat(texts()).containsExactly("one", "half\uFFFD", "three");
    }

    @Test
    void aCompleteLastLineWithoutItsNewlineWasNeverAcknowledgedAndIsDropped() throws IOException {
        reopen();
        createWithMessages("one", "two");
        store.close();
        store = null;
        List<String> lines = Files.readAllLines(sessionFile());
        String withoutLastNewline = String.join("\n", lines);
        Files.writeString(sessionFile(), withoutLastNewline);

        reopen();

        assertThat(texts()).containsExactly("one");
    }

    @Test
    void aTornLastLineOfATenantLogIsIgnoredToo() throws IOException {
        reopen();
        BudgetKey budget = new BudgetKey(BudgetKey.Level.USER, "alice");
        store.reserve(tenant, List.of(new BudgetLimit(budget, 100)), 30);
        store.close();
        store = null;
        appendBytes(dir.resolve("acme/budgets.jsonl"), "{\"v\":1,\"op\":\"set\",\"budg".getBytes(StandardCharsets.UTF_8));

        reopen();

        assertThat(store.budgetUsed(tenant, budget)).isEqualTo(30);
        store.reserve(tenant, List.of(new BudgetLimit(budget, 100)), 30);
        reopen();
        assertThat(store.budgetUsed(tenant, budget)).isEqualTo(60);
    }

    @Test
    void aCorruptLineInTheMiddleFailsTheOpenNamingTheFileAndLine() throws IOException {
        reopen();
        createWithMessages("one", "two");
        store.close();
        store = null;
        List<String> lines = new ArrayList<>(Files.readAllLines(sessionFile()));
        String original = lines.get(1);
        lines.set(1, original.substring(0, original.length() / 2));
        Files.write(sessionFile(), lines);

        assertThatThrownBy(() -> new JsonlSessionStore(dir, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(sessionFile().toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("corrupt");

        lines.set(1, original);
        Files.write(sessionFile(), lines);
        reopen();
        assertThat(texts()).containsExactly("one", "two");
    }

    @Test
    void aLineThatIsJsonButNotAValidChangeFailsTheOpenWithTheFieldAtFault() throws IOException {
        reopen();
        createWithMessages("one", "two");
        store.close();
        store = null;
        List<String> lines = new ArrayList<>(Files.readAllLines(sessionFile()));
        lines.set(1, lines.get(1).replace("\"op\":\"write\"", "\"op\":\"rewrite\""));
        Files.write(sessionFile(), lines);

        assertThatThrownBy(() -> new JsonlSessionStore(dir, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(sessionFile() + " line 2")
                .hasMessageContaining("unknown op 'rewrite'");
    }

    @Test
    void aFileWrittenByANewerFormatIsRefusedClearly() throws IOException {
        reopen();
        createWithMessages("one");
        store.close();
        store = null;
        appendBytes(sessionFile(), "{\"v\":2,\"op\":\"write\",\"info\":{}}\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new JsonlSessionStore(dir, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("format version 2 was written by a newer Parley");
    }

    @Test
    void aSessionFileCopiedIntoAnotherTenantsDirectoryIsRefused() throws IOException {
        reopen();
        createWithMessages("secret of acme");
        store.close();
        store = null;
        Path foreign = dir.resolve("globex/sessions/chat.jsonl");
        Files.createDirectories(foreign.getParent());
        Files.copy(sessionFile(), foreign);

        assertThatThrownBy(() -> new JsonlSessionStore(dir, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(foreign.toString())
                .hasMessageContaining("tenant acme");
    }

    @Test
    void aSecondStoreOverTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        reopen();
        assertThatThrownBy(() -> new JsonlSessionStore(dir, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("already open");
        store.close();
        store = new JsonlSessionStore(dir, clock);
        assertThat(store.describe()).isEqualTo("jsonl:" + dir.toAbsolutePath().normalize());
    }

    @Test
    void whatAnInterruptedCreationOrRewriteLeavesIsRemovedOnOpen() throws IOException {
        reopen();
        createWithMessages("one");
        store.close();
        store = null;
        Path empty = sessionFile().resolveSibling("half-created.jsonl");
        Files.createFile(empty);
        Path temp = sessionFile().resolveSibling("chat.jsonl.tmp");
        Files.writeString(temp, "{\"v\":1}\n");
        Path unrelated = sessionFile().resolveSibling("README.md");
        Files.writeString(unrelated, "notes");

        reopen();

        assertThat(empty).doesNotExist();
        assertThat(temp).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(store.find(tenant, SessionId.of("half-created"))).isEmpty();
        assertThat(texts()).containsExactly("one");
    }

    @Test
    void aWriteThatCannotReachTheDiskFailsNamingTheFileAndChangesNothing() throws IOException {
        reopen();
        createWithMessages("one");
        SessionSnapshot before = store.find(tenant, id).orElseThrow();
        Files.delete(sessionFile());
        Files.createDirectory(sessionFile());

        assertThatThrownBy(() -> append("two"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(sessionFile().toString());

        assertThat(store.find(tenant, id)).contains(before);
        assertThat(texts()).containsExactly("one");
    }

    @Test
    void aFileChangedBehindTheStoresBackIsNotWrittenOver() throws IOException {
        reopen();
        createWithMessages("one");
        SessionSnapshot before = store.find(tenant, id).orElseThrow();
        appendBytes(sessionFile(), "{\"hand\":\"edited\"}\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> append("two"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(sessionFile() + " was changed outside the store");

        assertThat(store.find(tenant, id)).contains(before);
        assertThat(Files.readString(sessionFile())).endsWith("{\"hand\":\"edited\"}\n");
    }

    @Test
    void aClosedStoreRefusesWorkAndClosingTwiceIsHarmless() {
        JsonlSessionStore closed = reopen();
        closed.close();
        closed.close();
        store = null;

        assertThatThrownBy(() -> closed.find(tenant, id))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed");
    }
}
