package dev.parley.store.jsonl;

import dev.parley.InvalidInputException;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.Scope;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What reaches the disk, and where: paths stay inside the directory, erased data leaves the files. */
class JsonlFilesTest {
    private final MutableClock clock = MutableClock.startingAt("2026-03-01T09:00:00Z");
    private final TenantId tenant = TenantId.of("acme");
    private final UserId alice = UserId.of("alice");

    @TempDir
    Path dir;

    private JsonlSessionStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private JsonlSessionStore open() {
        store = new JsonlSessionStore(dir, clock);
        return store;
    }

    private EntryDraft message(String text) {
        return new EntryDraft(clock.instant(), EntryKind.MESSAGE, new Payload.MessagePayload(Message.user(text)));
    }

    private static String contentOf(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../x", "..", ".", "a/b", "a\\b", "/etc/passwd", ".hidden", "a\u0000b", "", " x"})
    void hostileSessionAndTenantIdsCannotBeConstructed(String hostile) {
        assertThatThrownBy(() -> SessionId.of(hostile)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TenantId.of(hostile)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aTenThousandCharacterIdIsRejectedWithAShortMessage() {
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> SessionId.of(huge)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../x", "..", ".", "", "a/b", "x\u0000y", "../../etc/passwd"})
    void aNameThatIsNotADirectChildOfItsDirectoryIsRefused(String hostile) {
        Path parent = dir.toAbsolutePath().normalize();
        assertThatThrownBy(() -> Layout.child(parent, hostile, "session id"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not name a file inside");
    }

    @Test
    void theLongestValidIdsStillResolveInsideTheDirectory() {
        Layout layout = new Layout(dir);
        TenantId longTenant = TenantId.of("t" + "-".repeat(63));
        SessionId longSession = SessionId.of("s" + ".".repeat(127));
        Path file = layout.sessionFile(longTenant, longSession);
        assertThat(file.getParent()).isEqualTo(dir.toAbsolutePath().normalize().resolve(longTenant.value()).resolve("sessions"));
        assertThat(file.getFileName().toString()).isEqualTo(longSession.value() + ".jsonl");
        assertThat(layout.tenantLog(longTenant, "keys").getParent()).isEqualTo(layout.tenantDir(longTenant));
    }

    @Test
    void everyFileTheStoreWritesLiesInsideItsDirectory() throws IOException {
        open();
        SessionId dotty = SessionId.of("a..b");
        store.create(new NewSession(tenant, dotty, alice, clock.instant(), null, null, Map.of(), Map.of(), List.of(message("hi"))));
        store.create(new NewSession(TenantId.of("other"), SessionId.of("x.jsonl"), alice, clock.instant(), null, null,
                Map.of(), Map.of(), List.of()));
        store.putScoped(tenant, Scope.user(alice), "k", "1", null);
        store.userKeyIfAbsent(tenant, alice, "key");
        store.reserve(tenant, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.TENANT, "acme"), 10)), 1);
        store.redact(tenant, dotty, EntryId.of(1), new Payload.Redacted(Role.USER, "alice", clock.instant()), clock.instant());

        Path root = dir.toAbsolutePath().normalize();
        assertThat(allFiles()).isNotEmpty().allSatisfy(f -> assertThat(f.toAbsolutePath().normalize()).startsWith(root));
        assertThat(allFiles()).extracting(f -> root.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/'))
                .containsExactlyInAnyOrder(".parley-jsonl.lock", "acme/sessions/a..b.jsonl", "other/sessions/x.jsonl.jsonl",
                        "acme/state.jsonl", "acme/keys.jsonl", "acme/budgets.jsonl");
    }

    @Test
    void redactionRemovesTheOriginalTextFromTheFileAndLeavesTheOtherLinesAsTheyWere() throws IOException {
        open();
        SessionId id = SessionId.of("card");
        String secret = "my card is 4111 1111 1111 1111";
        store.create(new NewSession(tenant, id, alice, clock.instant(), null, null, Map.of(), Map.of(),
                List.of(message("hello"))));
        store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(message(secret))).build());
        store.write(tenant, id, WriteRequest.builder(clock.instant()).append(Names.MAIN, List.of(message("thanks"))).build());
        Path file = dir.resolve("acme/sessions/card.jsonl");
        List<String> before = Files.readAllLines(file);
        assertThat(contentOf(file)).contains(secret);

        store.redact(tenant, id, EntryId.of(2), new Payload.Redacted(Role.USER, "alice", clock.instant()), clock.instant());

        assertThat(contentOf(file)).doesNotContain(secret).doesNotContain("4111").contains("\"redacted\"");
        List<String> after = Files.readAllLines(file);
        assertThat(after).hasSize(before.size() + 1);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        assertThat(after.get(2)).isEqualTo(before.get(2));
        assertThat(after.get(3)).contains("\"op\":\"redact\"");
        assertThat(file.resolveSibling("card.jsonl.tmp")).doesNotExist();

        store.close();
        open();
        assertThat(store.entry(tenant, id, EntryId.of(2)).orElseThrow().isRedacted()).isTrue();
        assertThat(store.entry(tenant, id, EntryId.of(3)).orElseThrow().parent()).isEqualTo(EntryId.of(2));
        assertThat(store.find(tenant, id).orElseThrow().info().version()).isEqualTo(4);
    }

    @Test
    void deletingASessionRemovesItsFile() {
        open();
        SessionId id = SessionId.of("gone");
        store.create(new NewSession(tenant, id, alice, clock.instant(), null, null, Map.of(), Map.of(), List.of(message("x"))));
        Path file = dir.resolve("acme/sessions/gone.jsonl");
        assertThat(file).exists();

        assertThat(store.delete(tenant, id)).isTrue();

        assertThat(file).doesNotExist();
    }

    @Test
    void erasingAUserRemovesTheirKeyAndStateFromTheTenantFiles() throws IOException {
        open();
        UserId bob = UserId.of("bob");
        store.userKeyIfAbsent(tenant, alice, "ALICE-WRAPPED-KEY");
        store.userKeyIfAbsent(tenant, bob, "BOB-WRAPPED-KEY");
        store.putScoped(tenant, Scope.user(alice), "diagnosis", "\"ALICE-PRIVATE\"", null);
        store.putScoped(tenant, Scope.user(bob), "lang", "\"fr\"", null);
        store.reserve(tenant, List.of(new BudgetLimit(new BudgetKey(BudgetKey.Level.USER, "alice"), 100)), 7);

        store.deleteUser(tenant, alice);

        String keys = contentOf(dir.resolve("acme/keys.jsonl"));
        String state = contentOf(dir.resolve("acme/state.jsonl"));
        assertThat(keys).doesNotContain("ALICE-WRAPPED-KEY").contains("BOB-WRAPPED-KEY");
        assertThat(state).doesNotContain("ALICE-PRIVATE").contains("\"user\":\"bob\"");
        assertThat(contentOf(dir.resolve("acme/budgets.jsonl"))).doesNotContain("alice");
        store.close();
        open();
        assertThat(store.userKey(tenant, alice)).isEmpty();
        assertThat(store.userKey(tenant, bob)).contains("BOB-WRAPPED-KEY");
        assertThat(store.scopedState(tenant, Scope.user(bob))).containsOnlyKeys("lang");
    }

    @Test
    void replacingEveryKeyLeavesNoSupersededWrapInTheKeysLog() throws IOException {
        open();
        List<String> users = List.of("ann", "ben", "cat", "dan", "eve");
        users.forEach(user -> store.userKeyIfAbsent(tenant, UserId.of(user), "OLD-" + user));

        for (String user : users) {
            assertThat(store.replaceUserKey(tenant, UserId.of(user), "OLD-" + user, "NEW-" + user)).isTrue();
        }

        String keys = contentOf(dir.resolve("acme/keys.jsonl"));
        assertThat(keys).doesNotContain("OLD-");
        assertThat(Files.readAllLines(dir.resolve("acme/keys.jsonl"))).hasSize(users.size());
        store.close();
        open();
        users.forEach(user -> assertThat(store.userKey(tenant, UserId.of(user))).contains("NEW-" + user));
    }

    @Test
    void aTenantLogIsCompactedOnceItGrowsWellPastTheRowsItHolds() throws IOException {
        open();
        BudgetKey budget = new BudgetKey(BudgetKey.Level.USER, "alice");
        int reservations = TenantState.COMPACT_AT + 10;
        for (int i = 0; i < reservations; i++) {
            store.reserve(tenant, List.of(new BudgetLimit(budget, 1_000_000)), 1);
        }

        assertThat(Files.readAllLines(dir.resolve("acme/budgets.jsonl"))).hasSizeLessThan(TenantState.COMPACT_AT);
        store.close();
        open();
        assertThat(store.budgetUsed(tenant, budget)).isEqualTo(reservations);
    }

    @Test
    void theJsonlSchemeOpensAStoreInTheNamedDirectory() {
        Path target = dir.resolve("by-location");
        try (SessionStore opened = SessionStores.open("jsonl:" + target, clock)) {
            assertThat(opened).isInstanceOf(JsonlSessionStore.class);
            assertThat(opened.describe()).isEqualTo("jsonl:" + target.toAbsolutePath().normalize());
        }
        assertThat(target.resolve(".parley-jsonl.lock")).exists();
        assertThatThrownBy(() -> SessionStores.open("jsonl:", clock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs a directory");
    }
}
