package dev.parley;

import dev.parley.api.SessionHandle;
import dev.parley.api.Sessions;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.io.SessionDocument;
import dev.parley.json.ParleyJson;
import dev.parley.store.Page;
import dev.parley.store.SessionImage;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session API as users see it ({@link Sessions} and {@link SessionHandle}), run against every way of reaching
 * sessions: the local engine over each store, and the remote client talking to a server.
 */
public abstract class SessionApiContract {

    /** The sessions of a fresh, empty tenant, whose time is {@code clock} (expiry, timestamps). */
    protected abstract Sessions newSessions(MutableClock clock);

    /** Deletes up to {@code batchSize} expired sessions as the operator would (the engine, or the server's sweeper). */
    protected abstract int sweepExpired(int batchSize);

    protected MutableClock clock;
    protected Sessions sessions;

    @BeforeEach
    void open() {
        clock = MutableClock.startingAt("2026-03-01T09:00:00Z");
        sessions = newSessions(clock);
    }

    @AfterEach
    void close() {
        sessions.close();
    }

    /** An export read back as a store image, to compare two exports field by field. */
    private static SessionImage image(String json) {
        return SessionDocument.read(ParleyJson.parse(json, "export"), TenantId.of("compare"), null);
    }

    private SessionHandle chat() {
        return sessions.create(SessionSpec.builder().user("alice").systemPrompt("You are terse.")
                .initialPrompt(Message.user("Example question")).initialPrompt(Message.assistant("Example answer"))
                .state("mood", "calm").metadata("title", "demo").build());
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(Message::text).toList();
    }

    // ---- creation and ids -----------------------------------------------------------------------------

    @Test
    void aNewSessionHoldsItsSystemPromptInitialPromptsStateAndMetadata() {
        SessionHandle s = chat();
        assertThat(texts(s.messages())).containsExactly("You are terse.", "Example question", "Example answer");
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.state().session().getString("mood")).contains("calm");
        assertThat(s.metadata().get("title")).contains("demo");
        assertThat(s.user()).isEqualTo(UserId.of("alice"));
        assertThat(s.id().value()).hasSize(26);
        assertThat(sessions.open(s.id()).messages()).hasSize(3);
    }

    @Test
    void generatedIdsAreUnguessableAndDistinct() {
        Set<SessionId> ids = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(sessions.create().id());
        }
        assertThat(ids).hasSize(200);
    }

    @Test
    void invalidIdsAreRejectedWithTheRuleAndTheValue() {
        assertThatThrownBy(() -> SessionId.of("../x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("session id must be").hasMessageContaining("'../x'");
        assertThatThrownBy(() -> SessionId.of("a\u0000b")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> SessionId.of("x".repeat(10_000))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("(10000 characters)");
        assertThatThrownBy(() -> UserId.of("")).isInstanceOf(InvalidInputException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> dev.parley.domain.Role.parse("wizard")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("role must be one of");
    }

    @Test
    void aTakenIdIsAConflictAndAnUnknownOneIsNotFound() {
        sessions.create(SessionSpec.builder().id("mine").build());
        assertThatThrownBy(() -> sessions.create(SessionSpec.builder().id("mine").build())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> sessions.open("nope")).isInstanceOf(NotFoundException.class).hasMessage("no session nope");
    }

    @Test
    void badStateValuesAndLimitsAreRejectedNamingTheField() {
        SessionHandle s = chat();
        assertThatThrownBy(() -> s.state().session().put("k", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'k'");
        assertThatThrownBy(() -> s.state().session().put("blob", "x".repeat(300_000))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("over the cap of 262144 bytes");
        assertThatThrownBy(() -> s.last(0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("k must be >= 1");
        assertThatThrownBy(() -> SessionSpec.builder().ttl(Duration.ZERO).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ttl must be positive");
        assertThat(s.messages()).hasSize(3);
    }

    // ---- messages ------------------------------------------------------------------------------------

    @Test
    void messagesAreAppendedToMainAndReadBackInOrder() {
        SessionHandle s = chat();
        s.add(Message.user("q1"));
        s.add(List.of(Message.assistant("a1"), Message.user("q2")));
        assertThat(texts(s.last(2))).containsExactly("a1", "q2");
        assertThat(s.size()).isEqualTo(6);
        assertThat(s.history()).hasSize(7); // the initial state entry counts in the path, not in size()
        assertThat(s.history(2)).extracting(e -> e.message().orElseThrow().text()).containsExactly("a1", "q2");
    }

    @Test
    void aConditionalAppendOnAStaleHeadChangesNothing() {
        SessionHandle s = chat();
        EntryId seen = s.head();
        s.add(Message.user("someone else"));
        assertThatThrownBy(() -> s.add(List.of(Message.user("mine"), Message.assistant("reply")), WriteOptions.ifHead(seen)))
                .isInstanceOf(ConflictException.class);
        assertThat(texts(s.last(1))).containsExactly("someone else");
        long version = s.version();
        s.add(Message.user("ok"), WriteOptions.ifVersion(version));
        assertThat(s.version()).isEqualTo(version + 1);
    }

    @Test
    void retryingAnAppendWithItsIdempotencyKeyDoesNotDuplicateIt() {
        SessionHandle s = chat();
        Entry first = s.add(Message.user("pay invoice 7"), WriteOptions.idempotent("req-7"));
        Entry retry = s.add(Message.user("pay invoice 7"), WriteOptions.idempotent("req-7"));
        assertThat(retry).isEqualTo(first);
        assertThat(s.size()).isEqualTo(4);
        assertThatThrownBy(() -> s.add(Message.user("pay invoice 8"), WriteOptions.idempotent("req-7")))
                .isInstanceOf(IdempotencyMismatchException.class);
    }

    @Test
    void clearRestartsTheBranchFromTheInitialContextAndKeepsTheOldHead() {
        SessionHandle s = chat();
        s.add(Message.user("q1"));
        s.state().session().put("mood", "angry");
        EntryId oldHead = s.head();
        s.clear();
        assertThat(texts(s.messages())).containsExactly("You are terse.", "Example question", "Example answer");
        assertThat(s.state().session().getString("mood")).contains("calm");
        assertThat(s.checkpoints()).extracting(Checkpoint::name).contains("auto/" + oldHead.value());
    }

    @Test
    void redactingAMessageLeavesATombstoneAndDropsItFromMessages() {
        SessionHandle s = chat();
        Entry secret = s.add(Message.user("my password is hunter2"));
        s.add(Message.assistant("noted"));
        s.redact(secret.id(), "alice");
        assertThat(texts(s.messages())).doesNotContain("my password is hunter2").contains("noted");
        assertThat(s.entry(secret.id()).orElseThrow().payload()).isInstanceOf(Payload.Redacted.class);
        assertThat(sessions.exportJson(s.id())).doesNotContain("hunter2");
    }

    // ---- metadata and state ----------------------------------------------------------------------------

    @Test
    void metadataCanBeReadSetAndRemoved() {
        SessionHandle s = chat();
        s.metadata().set("channel", "web");
        s.metadata().remove("title");
        assertThat(s.metadata().all()).isEqualTo(Map.of("channel", "web"));
        assertThat(s.metadata().get("title")).isEmpty();
    }

    record Profile(String name, int age) {
    }

    @Test
    void stateLivesInFourScopesWithTypedAccess() {
        SessionHandle s = chat();
        StateKey<Profile> profile = StateKey.of("profile", Profile.class);
        s.state().user().put(profile, new Profile("Alice", 30));
        s.state().app().put("motd", "hello");
        s.state().temp().put("scratch", List.of(1, 2, 3));
        s.state().session().putAll(Map.of("step", 2, "done", false));

        SessionHandle other = sessions.create(SessionSpec.builder().user("alice").build());
        assertThat(other.state().user().get(profile)).contains(new Profile("Alice", 30));
        assertThat(other.state().preferences().contains("profile")).isTrue();
        assertThat(other.state().app().getString("motd")).contains("hello");
        assertThat(other.state().session().all()).isEmpty();
        assertThat(sessions.create(SessionSpec.builder().user("bob").build()).state().user().all()).isEmpty();

        assertThat(s.state().session().get("step", Integer.class)).contains(2);
        assertThat(s.state().temp().all()).containsEntry("scratch", List.of(1, 2, 3));
        assertThat(sessions.open(s.id()).state().temp().all()).isEmpty();
        assertThatThrownBy(() -> s.state().session().get("step", Profile.class)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void sessionStateFollowsTheBranchAndHasVersionsThatCanBeRestored() {
        SessionHandle s = chat();
        s.state().session().put("step", 1);
        s.checkpoint("one");
        s.state().session().put("step", 2);
        s.state().session().remove("mood");
        assertThat(s.stateVersions()).hasSize(4);

        s.restore("one");
        assertThat(s.state().session().get("step", Integer.class)).contains(1);
        assertThat(s.state().session().getString("mood")).contains("calm");

        Entry stepTwo = s.on("main").stateVersions().getFirst();
        SessionHandle alt = s.fork(s.head());
        alt.state().session().put("step", 99);
        assertThat(s.state().session().get("step", Integer.class)).contains(1);

        EntryId oldest = s.stateVersions().getLast().id();
        s.restoreState(oldest);
        assertThat(s.state().session().all()).isEqualTo(Map.of("mood", "calm"));
        assertThat(stepTwo.kind()).isEqualTo(dev.parley.domain.EntryKind.STATE);
    }

    // ---- checkpoints and branches -----------------------------------------------------------------------

    @Test
    void restoringACheckpointMovesTheBranchBackAndPreservesTheHeadItLeft() {
        SessionHandle s = chat();
        s.add(Message.user("explore A"));
        s.checkpoint("a", "before going deeper");
        s.add(Message.user("deeper into A"));
        EntryId deep = s.head();

        s.restore("a");
        assertThat(texts(s.last(1))).containsExactly("explore A");
        assertThat(s.checkpoints()).extracting(Checkpoint::name).containsExactly("a", "auto/" + deep.value());
        assertThat(s.checkpoints().getFirst().note()).isEqualTo("before going deeper");
        assertThatThrownBy(() -> s.checkpoint("a")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> s.checkpoint("auto/1")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> s.restore("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("no checkpoint nope");
    }

    @Test
    void branchesLetTwoExplorationsLiveSideBySide() {
        SessionHandle s = chat();
        s.add(Message.user("common"));
        s.checkpoint("fork-point");
        s.branch("b");
        s.add(Message.user("explore A"));
        SessionHandle b = s.on("b");
        b.add(Message.user("explore B"));

        assertThat(texts(s.last(2))).containsExactly("common", "explore A");
        assertThat(texts(b.last(2))).containsExactly("common", "explore B");
        assertThat(s.branches()).extracting(Branch::name).containsExactly("b", "main");
        s.branchFromCheckpoint("c", "fork-point");
        assertThat(texts(s.on("c").last(1))).containsExactly("common");

        s.checkout("b");
        assertThat(sessions.open(s.id()).onCurrentBranch().branchName()).isEqualTo("b");
        assertThatThrownBy(() -> s.checkout("zzz")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.on("zzz").add(Message.user("x"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void forkingAndEditingCreateBranchesAtPastEntries() {
        SessionHandle s = chat();
        Entry q1 = s.add(Message.user("q1"));
        s.add(Message.assistant("a1"));
        SessionHandle fork = s.fork(q1.id());
        assertThat(fork.branchName()).isEqualTo("fork/" + q1.id().value());
        fork.add(Message.assistant("another a1"));
        assertThat(texts(fork.last(2))).containsExactly("q1", "another a1");
        assertThat(s.fork(q1.id()).branchName()).isEqualTo("fork/" + q1.id().value() + "-2");

        Entry edited = s.edit(q1.id(), Message.user("q1, rephrased"));
        assertThat(edited.parent()).isEqualTo(q1.parent());
        assertThat(texts(s.last(1))).containsExactly("q1, rephrased");
        assertThat(s.size()).isEqualTo(4);
    }

    @Test
    void pinsAreKeptPerPath() {
        SessionHandle s = chat();
        Entry important = s.add(Message.user("my name is Alice"));
        s.pin(important.id());
        s.pin(important.id());
        assertThat(s.pins()).containsExactly(important.id());
        s.unpin(important.id());
        assertThat(s.pins()).isEmpty();
        assertThatThrownBy(() -> s.pin(EntryId.of(999))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void automaticCheckpointsAreTakenEveryNMessages() {
        SessionHandle s = sessions.create(SessionSpec.builder().checkpointEvery(2).build());
        for (int i = 0; i < 5; i++) {
            s.add(Message.user("m" + i));
        }
        assertThat(s.checkpoints()).extracting(Checkpoint::name).containsExactly("auto/2", "auto/4");
        s.checkpointEvery(0);
        s.add(Message.user("m5"));
        assertThat(s.checkpoints()).hasSize(2);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    @Test
    void aUsersSessionsAreListedNewestFirstByCursor() {
        List<SessionId> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(sessions.create(SessionSpec.builder().user("carol").build()).id());
            clock.advance(Duration.ofSeconds(1));
        }
        sessions.create(SessionSpec.builder().user("dave").build());
        Page<SessionInfo> first = sessions.list(UserId.of("carol"), null, 5);
        Page<SessionInfo> second = sessions.list(UserId.of("carol"), first.nextCursor(), 5);
        assertThat(first.items()).hasSize(5);
        assertThat(second.items()).hasSize(2);
        assertThat(second.next()).isEmpty();
        List<SessionId> listed = new ArrayList<>();
        first.items().forEach(i -> listed.add(i.id()));
        second.items().forEach(i -> listed.add(i.id()));
        assertThat(listed).containsExactlyElementsOf(created.reversed());
    }

    @Test
    void expiredSessionsVanishAtOnceAndAreSweptInBatches() {
        SessionHandle s = sessions.create(SessionSpec.builder().ttl(Duration.ofHours(2)).build());
        SessionHandle idle = sessions.create(SessionSpec.builder().idleTtl(Duration.ofMinutes(10)).build());
        clock.advance(Duration.ofMinutes(9));
        idle.add(Message.user("still here"));
        clock.advance(Duration.ofMinutes(9));
        assertThat(sessions.exists(idle.id())).isTrue();
        clock.advance(Duration.ofHours(2));
        assertThat(sessions.exists(s.id())).isFalse();
        assertThat(sessions.exists(idle.id())).isFalse();
        assertThatThrownBy(() -> s.add(Message.user("late"))).isInstanceOf(NotFoundException.class);
        assertThat(sweepExpired(10)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void deletingASessionAndErasingAUserRemoveThem() {
        SessionHandle s = chat();
        SessionHandle t = sessions.create(SessionSpec.builder().user("alice").build());
        SessionHandle bob = sessions.create(SessionSpec.builder().user("bob").build());
        assertThat(s.delete()).isTrue();
        assertThat(sessions.exists(s.id())).isFalse();
        t.state().user().put("lang", "en");
        assertThat(sessions.eraseUser(UserId.of("alice"))).isEqualTo(1);
        assertThat(sessions.exists(t.id())).isFalse();
        assertThat(sessions.create(SessionSpec.builder().user("alice").build()).state().user().all()).isEmpty();
        assertThat(sessions.exists(bob.id())).isTrue();
    }

    // ---- export, import, clone, merge -------------------------------------------------------------------

    @Test
    void anImportedExportEqualsTheOriginal() {
        SessionHandle s = chat();
        s.add(Message.user("q"));
        s.add(new Message(dev.parley.domain.Role.ASSISTANT, List.of(new Part.ToolCall("c1", "lookup", "{\"q\":1}")), null, Map.of()));
        s.add(Message.toolResult("c1", "42"));
        s.checkpoint("cp", "note");
        s.branch("alt");
        s.pin(s.head());
        s.metadata().set("k", "v");
        String json = s.exportJson();

        s.delete();
        SessionHandle back = sessions.importJson(json, null);
        assertThat(image(sessions.exportJson(back.id()))).isEqualTo(image(json));

        SessionHandle copy = sessions.importJson(json, SessionId.of("copy"));
        assertThat(copy.messages()).isEqualTo(back.messages());
    }

    @Test
    void aCorruptOrNewerExportIsRefusedAndNothingIsWritten() {
        SessionHandle s = chat();
        String json = s.exportJson();
        s.delete();
        assertThatThrownBy(() -> sessions.importJson("{not json", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> sessions.importJson(json.replace("\"version\":1,", "\"version\":99,"), null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("newer than this Parley understands");
        assertThatThrownBy(() -> sessions.importJson(json.replace("\"depth\":2", "\"depth\":7"), null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("inconsistent");
        assertThatThrownBy(() -> sessions.importJson(json.replace("\"role\":\"user\"", "\"role\":\"wizard\""), null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("role");
        assertThat(sessions.list(null, null, 100).items()).isEmpty();
    }

    @Test
    void saveAndLoadGoThroughAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SessionHandle s = chat();
        s.add(Message.user("persist me"));
        Path file = dir.resolve("nested/s.json");
        s.save(file);
        assertThat(Files.readString(file)).contains("persist me").contains("\"format\":\"parley.session\"");
        s.delete();
        assertThat(sessions.load(file).messages()).extracting(Message::text).contains("persist me");
    }

    @Test
    void aPathExportsAsOpenAiChatMessages() {
        SessionHandle s = sessions.create(SessionSpec.builder().systemPrompt("sys").build());
        s.add(Message.user("weather?"));
        s.add(new Message(dev.parley.domain.Role.ASSISTANT, List.of(new Part.ToolCall("c1", "weather", "{}")), null, Map.of()));
        s.add(Message.toolResult("c1", "sunny"));
        assertThat(s.exportOpenAi()).isEqualTo("[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]");
    }

    @Test
    void clonesCopyTheWholeHistoryOrOnlyTheInitialContextOrAPathUpToAnEntry() {
        SessionHandle s = chat();
        Entry q1 = s.add(Message.user("q1"));
        s.add(Message.assistant("a1"));
        s.branch("alt");

        SessionHandle full = s.cloneSession(CloneMode.FULL);
        assertThat(full.messages()).isEqualTo(s.messages());
        assertThat(full.branches()).extracting(Branch::name).containsExactly("alt", "main");
        assertThat(full.metadata().get("clonedFrom")).contains(s.id().value());
        full.add(Message.user("only in the clone"));
        assertThat(s.size()).isEqualTo(5);

        SessionHandle initial = s.cloneSession(CloneMode.INITIAL);
        assertThat(texts(initial.messages())).containsExactly("You are terse.", "Example question", "Example answer");
        assertThat(initial.state().session().getString("mood")).contains("calm");

        SessionHandle cut = s.cloneAt(q1.id());
        assertThat(texts(cut.last(1))).containsExactly("q1");
        assertThat(cut.branches()).extracting(Branch::name).containsExactly("main");
        assertThatThrownBy(() -> sessions.clone(s.id(), CloneMode.INITIAL, q1.id(), null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void mergingInterleavesWholeTurnsByTimeAndMergesState() {
        SessionHandle a = chat();
        SessionHandle b = sessions.create(SessionSpec.builder().user("alice").systemPrompt("other system").build());
        a.add(Message.user("a-q1"));
        a.add(Message.assistant("a-r1"));
        clock.advance(Duration.ofSeconds(1));
        b.add(Message.user("b-q1"));
        b.add(new Message(dev.parley.domain.Role.ASSISTANT, List.of(new Part.ToolCall("c9", "t", "{}")), null, Map.of()));
        clock.advance(Duration.ofSeconds(1));
        a.add(Message.user("a-q2"));
        b.add(Message.toolResult("c9", "tool says hi"));
        b.add(Message.assistant("b-r1"));
        b.state().session().put("mood", "b-mood");
        b.state().session().put("onlyB", true);

        SessionHandle merged = sessions.merge(a.id(), b.id(), SessionId.of("merged"));
        assertThat(texts(merged.messages())).containsExactly("You are terse.", "Example question", "Example answer",
                "a-q1", "a-r1", "b-q1", "", "tool says hi", "b-r1", "a-q2");
        assertThat(merged.state().session().all()).isEqualTo(Map.of("mood", "b-mood", "onlyB", true));
        assertThat(merged.metadata().get("mergedFrom")).contains(a.id().value() + "," + b.id().value());
        assertThatThrownBy(() -> sessions.merge(a.id(), a.id(), null)).isInstanceOf(InvalidInputException.class);
    }
}
