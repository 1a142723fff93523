package dev.parley.cli;

import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.Scope;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MigrateCommandTest {
    @TempDir
    Path dir;

    private String source;
    private String target;
    private String out;
    private String err;

    @BeforeEach
    void fillASourceStore() {
        source = "sqlite:" + dir.resolve("source/parley.db");
        target = "jsonl:" + dir.resolve("target");
        SampleData.fill(source);
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("migrate", "--progress", "none"));
        all.addAll(List.of(args));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(all.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void everySessionOfTheNamedTenantsIsCopiedWithWhatItSharesAndVerified() {
        Map<String, Object> before = SampleData.read(source);
        assertThat(before).containsKeys("session default/s1", "session default/s2", "session acme/a1")
                .containsEntry("key of user default/alice", java.util.Optional.of("wrapped-key-of-alice"))
                .containsEntry("budget of user default/alice", 42L).containsEntry("budget of tenant acme", 30L);
        assertThat(before.get("session default/s1").toString()).contains("<EMAIL_1>", "detour", "answered", "custom.count", "admin");

        assertThat(run("--from", source, "--to", target, "--tenant", "default", "--tenant", "acme")).isZero();

        assertThat(SampleData.read(target)).isEqualTo(before);
        assertThat(out).contains("copied    3 sessions (12 entries); 0 already in the target left as they were")
                .contains("shared    3 users (1 key), 4 state keys, 6 budget counters")
                .contains("verified  3 of 3 sessions: entry counts and SHA-256 checksums match");
        assertThat(err).isEmpty();
    }

    @Test
    void everyTenantOfTheSourceIsCopiedWhenNoneIsNamed() {
        Map<String, Object> before = SampleData.read(source);
        assertThat(run("--from", source, "--to", target, "--json")).isZero();

        JsonNode summary = ParleyJson.parse(out, "summary");
        assertThat(summary.get("copied").intValue()).isEqualTo(3);
        assertThat(summary.get("verified").intValue()).isEqualTo(3);
        assertThat(SampleData.read(target)).isEqualTo(before);
    }

    @Test
    void oneNamedTenantIsCopiedAlone() {
        assertThat(run("--from", source, "--to", target, "--tenant", "default", "--json")).isZero();

        JsonNode summary = ParleyJson.parse(out, "summary");
        assertThat(summary.get("copied").intValue()).isEqualTo(2);
        assertThat(SampleData.read(target)).doesNotContainKey("session acme/a1").containsKey("session default/s2")
                .containsEntry("app state of acme", Map.of());
    }

    @Test
    void sessionsTheTargetHasAlreadyStopTheMigrationBeforeAnythingIsWritten() {
        SampleData.addSession(target, "s2", "someone-else");
        Map<String, Object> targetBefore = SampleData.read(target);

        assertThat(run("--from", source, "--to", target)).isEqualTo(ParleyCli.USER_ERROR);

        assertThat(err).isEqualTo("parley: 1 session is in the target already: default/s2; nothing was copied. Run again with"
                + " --skip-existing to copy the others and leave those as they are.\n");
        assertThat(SampleData.read(target)).isEqualTo(targetBefore);
    }

    @Test
    void withSkipExistingTheOthersAreCopiedAndTheExistingOnesLeftAsTheyWere() {
        SampleData.addSession(target, "s2", "someone-else");
        Object theirs = SampleData.read(target).get("session default/s2");

        assertThat(run("--from", source, "--to", target, "--tenant", "default", "--skip-existing")).isZero();

        Map<String, Object> after = SampleData.read(target);
        assertThat(after.get("session default/s2")).isEqualTo(theirs);
        assertThat(after.get("session default/s1")).isEqualTo(SampleData.read(source).get("session default/s1"));
        assertThat(out).contains("copied    1 session (9 entries); 1 already in the target left as they were");
    }

    @Test
    void aSecondRunCopiesOnlyNewSessionsAndNeverCountsABudgetTwice() {
        assertThat(run("--from", source, "--to", target, "--tenant", "default", "--tenant", "acme")).isZero();
        SampleData.addSession(source, "s3", "alice");

        assertThat(run("--from", source, "--to", target, "--tenant", "default", "--tenant", "acme", "--skip-existing")).isZero();

        assertThat(out).contains("copied    1 session (1 entry); 3 already in the target left as they were")
                .contains("verified  1 of 1 session");
        Map<String, Object> after = SampleData.read(target);
        assertThat(after).isEqualTo(SampleData.read(source));
        assertThat(after).containsEntry("budget of user default/alice", 47L).containsEntry("budget of tenant default", 47L);
    }

    @Test
    void aDryRunListsWhatWouldBeCopiedAndWritesNothing() {
        SampleData.addSession(target, "s2", "someone-else");

        assertThat(run("--from", source, "--to", target, "--tenant", "default", "--tenant", "acme", "--dry-run")).isZero();

        assertThat(out).contains("dry run: nothing is written")
                .containsPattern("tenant default: 2 sessions of 2 users\n  s2 +bob +last seq 1 +in the target already: stops the migration\n"
                        + "  s1 +alice +last seq 9\n")
                .contains("tenant acme: 1 session of 1 user")
                .contains("would copy nothing: 1 session is in the target already (add --skip-existing to copy the other 2)");
        assertThat(SampleData.read(target)).doesNotContainKeys("session default/s1", "session acme/a1")
                .containsEntry("app state of default", Map.of());
    }

    @Test
    void aCopyThatReadsBackDifferentlyFailsVerificationNamingEachSession() {
        assertThat(run("--from", source, "--to", "tampering:", "--tenant", "default")).isEqualTo(ParleyCli.FAILURE);

        assertThat(out).contains("verified  0 of 2 sessions");
        assertThat(err).containsPattern("parley: verification failed: default/s1: checksum differs \\(source [0-9a-f]{12}…, target [0-9a-f]{12}…\\)")
                .contains("parley: verification failed: default/s2: checksum differs")
                .contains("parley: the migration finished with 2 problem(s), listed above");
    }

    @Test
    void aUserWithAnotherKeyInTheTargetIsNotCopiedAndStateThatDiffersIsKeptAndReported() {
        try (SessionStore store = SessionStores.open(target, Clock.systemUTC())) {
            store.userKeyIfAbsent(TenantId.DEFAULT, UserId.of("alice"), "a-different-key");
            store.putScoped(TenantId.DEFAULT, Scope.user(UserId.of("bob")), "units", "\"imperial\"", 0L);
        }

        assertThat(run("--from", source, "--to", target)).isEqualTo(ParleyCli.FAILURE);

        assertThat(err).contains("parley: user default/alice has another key in the target; their sessions and data were not copied")
                .contains("parley: user default/bob state key 'units' differs in the target; kept the target's value")
                .contains("finished with 2 problem(s)");
        Map<String, Object> after = SampleData.read(target);
        assertThat(after).doesNotContainKey("session default/s1").containsKey("session default/s2")
                .containsEntry("state of user default/bob", Map.of("units", ParleyJson.parse("\"imperial\"", "v")));
        assertThat(SampleData.userKey(target, TenantId.DEFAULT, "alice")).contains("a-different-key");
    }

    @Test
    void oneStoreCannotBeBothTheSourceAndTheTarget() {
        assertThat(run("--from", source, "--to", source)).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).isEqualTo("parley: --from and --to name the same store; a migration needs two\n");

        String sameFile = "sqlite:" + dir.resolve("source/../source/parley.db");
        assertThat(run("--from", source, "--to", sameFile)).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).isEqualTo("parley: --from and --to are both sqlite:" + dir.resolve("source/parley.db")
                + "; a migration needs two stores\n");
    }

    @Test
    void anUnknownStoreIsRefusedNamingTheOptionAndNothingIsCreated() {
        assertThat(run("--from", source, "--to", "mongo://db/x")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).startsWith("parley: --to: unknown store 'mongo:'; available:").contains("postgres://", "redis://");

        assertThat(run("--from", "mongo://db/x", "--to", target)).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).startsWith("parley: --from: unknown store 'mongo:'; available:");
        assertThat(dir.resolve("target")).doesNotExist();
    }

    @Test
    void anUnreachableTargetIsOneClearLineAndAFailureStatus() {
        assertThat(run("--from", source, "--to", "postgres://postgres:secret@127.0.0.1:1/test")).isEqualTo(ParleyCli.FAILURE);

        assertThat(err).startsWith("parley: cannot open the store of --to: cannot connect to postgres://postgres@127.0.0.1:1/test")
                .doesNotContain("secret").endsWith("\n");
        assertThat(err.lines()).hasSize(1);
    }

    @Test
    void progressGoesToStderrAsLinesOrABarAndNeverIntoTheSummary() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(new String[]{"migrate", "--from", source, "--to", target, "--tenant", "default", "--progress", "lines"},
                new PrintWriter(o, true), new PrintWriter(e, true));

        assertThat(status).isZero();
        assertThat(e.toString()).isEqualTo("""
                copying: 0 of 2 sessions (0%)
                copying: 1 of 2 sessions (50%)
                copying: 2 of 2 sessions (100%)
                verifying: 0 of 2 sessions (0%)
                verifying: 1 of 2 sessions (50%)
                verifying: 2 of 2 sessions (100%)
                """);
        assertThat(o.toString()).startsWith("from      " + source).doesNotContain("copying:");

        StringWriter barOut = new StringWriter();
        StringWriter bar = new StringWriter();
        assertThat(ParleyCli.run(new String[]{"migrate", "--from", source, "--to", "jsonl:" + dir.resolve("other"), "--tenant", "default", "--progress", "bar"},
                new PrintWriter(barOut, true), new PrintWriter(bar, true))).isZero();
        assertThat(bar.toString()).contains("\rcopying 100%").contains("2/2 sessions").contains("\rverifying 100%");
        assertThat(barOut.toString()).doesNotContain("\r");
    }
}
