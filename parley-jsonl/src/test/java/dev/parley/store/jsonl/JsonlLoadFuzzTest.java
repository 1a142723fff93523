package dev.parley.store.jsonl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.Parley;
import dev.parley.ParleyException;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.StoreException;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.EntryDraft;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WriteRequest;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzz test of opening a JSONL store whose session file was damaged. A real store is written once (messages, a tool
 * call, a branch, a checkpoint, state, a redaction); each input then damages a copy of its session file
 * ({@code <dir>/acme/sessions/chat.jsonl}, the file {@link Loader} replays through {@link LogFile#load}) and the store is
 * opened on the copy. The first input byte picks the damage, the second a line, the rest are the bytes written:
 * <ul>
 *   <li>0: the file is replaced by the bytes;</li>
 *   <li>1: the bytes are appended after the last complete line;</li>
 *   <li>2: the file is cut after a line and the bytes follow;</li>
 *   <li>3: one line is replaced by the bytes (the lines after it kept).</li>
 * </ul>
 * Checked, from decision 21 ("a complete last line without its newline counts as torn and is dropped") and the
 * loader's contract ("what a crash can leave is repaired with a warning; anything else wrong fails with the file and
 * line"): opening and reading the session either works or fails with {@link StoreException} naming the file, never
 * another exception; damage that is only an unterminated tail after intact lines (what a crash leaves) always opens,
 * with the session exactly as before; a store that opened can still be written to, and reopens after that write.
 *
 * <p>In a normal build it runs in regression mode over the seeds in
 * {@code src/test/resources/dev/parley/store/jsonl/JsonlLoadFuzzTestInputs/<method>/}; run
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-jsonl -Dtest='JsonlLoadFuzzTest#<method>'} to fuzz for real (new
 * crashing inputs are written next to the seeds).
 */
class JsonlLoadFuzzTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final SessionId ID = SessionId.of("chat");
    private static final String START = "2026-03-01T09:00:00Z";
    /** tmpfs when there is one: every open of a repaired file forces it, which on a disk dominates the run time. */
    private static final Path SCRATCH = scratchRoot();
    private static final byte[] ORIGINAL = writeTemplate();
    private static final List<Entry> ORIGINAL_ENTRIES;
    private static final Map<String, Branch> ORIGINAL_BRANCHES;

    static {
        Path dir = freshDir();
        try {
            write(sessionFile(dir), ORIGINAL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (JsonlSessionStore store = open(dir)) {
            ORIGINAL_ENTRIES = store.entries(TENANT, ID, 0, 1000);
            ORIGINAL_BRANCHES = store.find(TENANT, ID).orElseThrow().branches();
        } finally {
            deleteTree(dir);
        }
    }

    @AfterAll
    static void cleanUp() {
        deleteTree(SCRATCH);
    }

    @FuzzTest(maxDuration = "3m")
    void damagedSessionFileOpensOrFailsWithStoreExceptionNamingIt(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int mode = (input[0] & 0xff) % 4;
        int lineIndex = input[1] & 0xff;
        byte[] bytes = Arrays.copyOfRange(input, 2, input.length);
        byte[] damaged = damage(mode, lineIndex, bytes);
        boolean onlyATornTail = mode == 1 && bytes.length > 0 && indexOf(bytes, (byte) '\n') < 0 && !isBlank(bytes);

        Path dir = freshDir();
        try {
            Path file = sessionFile(dir);
            write(file, damaged);
            JsonlSessionStore store;
            try {
                store = open(dir);
            } catch (StoreException refused) {
                assertThat(onlyATornTail).as("a torn last line must be dropped, not refused: %s", refused.getMessage()).isFalse();
                assertThat(refused.getMessage()).as("the error names the damaged file").contains(file.toString());
                return;
            }
            try (store) {
                Optional<SessionSnapshot> snapshot = readEverything(store, file);
                if (onlyATornTail) {
                    assertThat(snapshot).as("the session survives a torn append").isPresent();
                    assertThat(store.entries(TENANT, ID, 0, 1000)).isEqualTo(ORIGINAL_ENTRIES);
                    assertThat(snapshot.get().branches()).isEqualTo(ORIGINAL_BRANCHES);
                    assertThat(Files.readAllBytes(file)).as("the torn line is cut away").isEqualTo(ORIGINAL);
                }
                if (snapshot.isPresent() && writeOneMessage(store, snapshot.get())) {
                    store.close();
                    try (JsonlSessionStore reopened = open(dir)) {
                        assertThat(readEverything(reopened, file)).as("a file the store itself appended to loads again").isPresent();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private static byte[] damage(int mode, int lineIndex, byte[] bytes) {
        List<byte[]> lines = lines(ORIGINAL);
        int at = lineIndex % lines.size();
        List<byte[]> out = new ArrayList<>();
        switch (mode) {
            case 0 -> out.add(bytes);
            case 1 -> {
                out.addAll(lines);
                out.add(bytes);
            }
            case 2 -> {
                out.addAll(lines.subList(0, at + 1));
                out.add(bytes);
            }
            default -> {
                out.addAll(lines);
                out.set(at, bytes);
            }
        }
        return concat(out, mode == 3);
    }

    /** The lines of a file, each with its newline. */
    private static List<byte[]> lines(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                out.add(Arrays.copyOfRange(file, start, i + 1));
                start = i + 1;
            }
        }
        return out;
    }

    private static byte[] concat(List<byte[]> parts, boolean terminateReplacement) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
            if (terminateReplacement && (part.length == 0 || part[part.length - 1] != '\n')) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /**
     * Every read a caller can make of the session; a failure here must be a StoreException naming the file too, since
     * the damage was accepted at open. Empty when the loaded session is not visible (deleted, or expired at the clock).
     */
    private static Optional<SessionSnapshot> readEverything(JsonlSessionStore store, Path file) {
        try {
            Optional<SessionSnapshot> snapshot = store.find(TENANT, ID);
            if (snapshot.isEmpty()) {
                return snapshot;
            }
            List<Entry> entries = store.entries(TENANT, ID, 0, 1000);
            for (Branch branch : snapshot.get().branches().values()) {
                if (branch.head() != null) {
                    store.path(TENANT, ID, branch.head(), 1000);
                }
            }
            for (Entry entry : entries) {
                assertThat(store.entry(TENANT, ID, entry.id())).contains(entry);
            }
            store.checkpoints(TENANT, ID);
            store.vault(TENANT, ID);
            store.counters(TENANT, ID);
            store.list(TENANT, snapshot.get().info().user(), null, 10);
            return snapshot;
        } catch (StoreException e) {
            assertThat(e.getMessage()).contains(file.toString());
            return Optional.empty();
        }
    }

    /**
     * Appends a message to the current branch. A refusal the API documents (a ParleyException: conflict, bad input) is
     * fine for a strange but loadable session; anything else is a bug. Returns whether the write landed.
     */
    private static boolean writeOneMessage(JsonlSessionStore store, SessionSnapshot snapshot) {
        String branch = snapshot.info().currentBranch();
        MutableClock clock = MutableClock.startingAt(START);
        try {
            store.write(TENANT, ID, WriteRequest.builder(clock.instant()).append(branch, List.of(new EntryDraft(clock.instant(),
                    EntryKind.MESSAGE, new Payload.MessagePayload(Message.user("after the damage")))))
                    .build());
            return true;
        } catch (ParleyException refused) {
            return false;
        }
    }

    // ---- the template store ---------------------------------------------------------------------------------

    private static byte[] writeTemplate() {
        Path dir = freshDir();
        try {
            MutableClock clock = MutableClock.startingAt(START);
            try (JsonlSessionStore store = new JsonlSessionStore(dir, clock);
                 Parley parley = Parley.builder().store(store).clock(clock).tenant(TENANT).build()) {
                Session s = parley.create(SessionSpec.builder().id(ID).user("alice").systemPrompt("You are terse.")
                        .state("mood", "calm").metadata("title", "démo").build());
                Entry question = s.add(Message.user("Where is my order? card 4111 1111 1111 1111"));
                s.add(Message.toolCalls(List.of(new Part.ToolCall("call_1", "lookup_order", "{\"id\":123}"))));
                s.add(Message.toolResult("call_1", "{\"status\":\"shipped\"}"));
                s.add(Message.assistant("It shipped."));
                s.checkpoint("shipped", "a note");
                s.state().session().put("count", 3);
                s.branch("alt", question.id());
                s.on("alt").add(Message.user("Cancel it instead."));
                s.pin(question.id());
                s.redact(question.id(), "gdpr");
            }
            return Files.readAllBytes(sessionFile(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private static JsonlSessionStore open(Path dir) {
        return new JsonlSessionStore(dir, MutableClock.startingAt(START));
    }

    private static Path sessionFile(Path dir) {
        return dir.resolve(TENANT.value()).resolve(Layout.SESSIONS).resolve(ID.value() + Layout.SUFFIX);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static Path scratchRoot() {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "parley-jsonl-fuzz")
                    : Files.createTempDirectory("parley-jsonl-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path freshDir() {
        try {
            return Files.createTempDirectory(SCRATCH, "store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
