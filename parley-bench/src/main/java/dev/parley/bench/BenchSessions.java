package dev.parley.bench;

import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.PointerOp;
import dev.parley.store.SessionStore;
import dev.parley.store.Target;
import dev.parley.store.WriteRequest;
import dev.parley.store.sqlite.SqliteSessionStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the benchmarks share: a SQLite store in a fresh directory on a real disk, sessions seeded
 * with a history in bulk writes, and the messages they append. A user turn is about 160 bytes of
 * text and an assistant reply about 400, the size of a short chat exchange.
 */
final class BenchSessions implements AutoCloseable {
    /** Where benchmark databases go; it must be a real disk (not tmpfs), or fsync costs nothing. */
    static final String DIR_PROPERTY = "parley.bench.dir";

    static final TenantId TENANT = TenantId.of("bench");
    static final UserId USER = UserId.of("bench-user");
    static final String QUESTION = "Can you explain, in two or three sentences, why appending to a conversation "
            + "should not get slower as the conversation grows longer? Keep it short.";
    static final String ANSWER = ("Because each append only adds a row for the new message and moves the branch "
            + "pointer; nothing already written is read back or rewritten. The cost depends on the message, not on "
            + "how many came before it. Reading the recent context walks back a fixed number of parent links, so "
            + "it too is independent of the history's length. ").repeat(2).substring(0, 400);

    private final Path dir;
    private final SqliteSessionStore store;

    BenchSessions() {
        try {
            Path root = Path.of(System.getProperty(DIR_PROPERTY, "target/bench-data")).toAbsolutePath();
            Files.createDirectories(root);
            dir = Files.createTempDirectory(root, "sqlite-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the benchmark database", e);
        }
        store = new SqliteSessionStore(dir.resolve("parley.db"));
    }

    SessionStore store() {
        return store;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static EntryDraft message(Message message) {
        return new EntryDraft(now(), EntryKind.MESSAGE, new Payload.MessagePayload(message));
    }

    /** A request appending one user turn and its reply to main: what a chat turn writes. */
    static WriteRequest turn() {
        return WriteRequest.builder(now())
                .append(Names.MAIN, List.of(message(Message.user(QUESTION)), message(Message.assistant(ANSWER))))
                .build();
    }

    /** A request appending one message of about 400 bytes to main. */
    static WriteRequest oneMessage() {
        return WriteRequest.builder(now()).append(Names.MAIN, List.of(message(Message.assistant(ANSWER)))).build();
    }

    /**
     * Creates a session whose main branch holds a system prompt and {@code turns} turns (a user
     * message and its reply each), written 1000 entries at a time; returns the head.
     */
    EntryId seed(SessionId id, int turns) {
        store.create(new NewSession(TENANT, id, USER, now(), null, null, Map.of(), Map.of(),
                List.of(message(Message.system("You are a concise assistant.")))));
        EntryId head = EntryId.of(1);
        int messages = 2 * turns;
        for (int done = 0; done < messages; ) {
            int batch = Math.min(1000, messages - done);
            List<EntryDraft> drafts = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                drafts.add(message((done + i) % 2 == 0 ? Message.user(QUESTION) : Message.assistant(ANSWER)));
            }
            head = store.write(TENANT, id, WriteRequest.builder(now()).append(Names.MAIN, drafts).build())
                    .appended().getLast().id();
            done += batch;
        }
        return head;
    }

    /** Points main back at {@code head}, so every measurement starts from the same history length. */
    void resetMain(SessionId id, EntryId head) {
        store.write(TENANT, id, WriteRequest.builder(now())
                .op(new PointerOp.SetBranch(Names.MAIN, Target.at(head), PointerOp.Mode.MOVE)).build());
    }

    @Override
    public void close() {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the benchmark database in " + dir, e);
        }
    }
}
