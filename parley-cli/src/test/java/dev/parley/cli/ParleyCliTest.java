package dev.parley.cli;

import dev.parley.json.ParleyJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParleyCliTest {
    @TempDir
    Path dir;

    private String store;
    private String out;
    private String err;

    @BeforeEach
    void useATemporaryDatabase() {
        store = "sqlite:" + dir.resolve("data/parley.db");
    }

    @AfterEach
    void restoreStdin() {
        SessionsCommand.stdin = System.in;
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store");
        all.add(store);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(all.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return status;
    }

    private int runWithStdin(String input, String... args) {
        SessionsCommand.stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        return run(args);
    }

    private JsonNode json() {
        return ParleyJson.parse(out, "cli output");
    }

    @Test
    void aSessionCanBeCreatedFilledListedAndShown() {
        assertThat(run("sessions", "create", "--id", "demo", "--user", "alice", "--system", "Be brief.",
                "--prompt", "user:Example", "--meta", "title=Demo", "--state", "mood=\"calm\"", "--ttl", "30d")).isZero();
        assertThat(out.trim()).isEqualTo("demo");
        assertThat(run("sessions", "add", "demo", "What", "is", "a", "monad?")).isZero();
        assertThat(out.trim()).isEqualTo("#4");
        assertThat(run("sessions", "add", "demo", "--role", "assistant", "A", "burrito.")).isZero();

        assertThat(run("sessions", "show", "demo")).isZero();
        assertThat(out).contains("session     demo (tenant default, user alice)")
                .contains("metadata    {title=Demo}")
                .contains("main: 4 messages")
                .contains("system     Be brief.")
                .contains("user       What is a monad?")
                .contains("assistant  A burrito.");

        assertThat(run("sessions", "ls")).isZero();
        assertThat(out).contains("demo").contains("alice");
        assertThat(run("sessions", "ls", "--json")).isZero();
        assertThat(json().get("items").get(0).get("id").stringValue()).isEqualTo("demo");
        assertThat(run("sessions", "show", "demo", "--json")).isZero();
        assertThat(json().get("size").intValue()).isEqualTo(4);
        assertThat(json().get("entries")).hasSize(5);
    }

    @Test
    void anExportImportedFromStdinComesBackWhole() {
        run("sessions", "create", "--id", "s1", "--system", "sys");
        runWithStdin("from stdin\n", "sessions", "add", "s1", "-");
        run("sessions", "checkpoint", "s1", "cp", "--note", "a note");
        assertThat(run("sessions", "export", "s1")).isZero();
        String exported = out;
        assertThat(exported).contains("\"format\":\"parley.session\"").contains("from stdin\"");

        assertThat(run("sessions", "rm", "s1")).isZero();
        assertThat(runWithStdin(exported, "sessions", "import", "-")).isZero();
        assertThat(out.trim()).isEqualTo("s1");
        run("sessions", "export", "s1");
        assertThat(out).isEqualTo(exported);

        assertThat(run("sessions", "export", "s1", "--format", "openai")).isZero();
        assertThat(out.trim()).isEqualTo("[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"from stdin\"}]");
    }

    @Test
    void branchesCheckpointsForksClonesMergesAndRedactionWorkFromTheCommandLine() {
        run("sessions", "create", "--id", "s");
        run("sessions", "add", "s", "first");
        run("sessions", "checkpoint", "s", "one");
        assertThat(out.trim()).isEqualTo("checkpoint one → #1");
        run("sessions", "add", "s", "second");
        assertThat(run("sessions", "restore", "s", "one")).isZero();
        assertThat(out.trim()).isEqualTo("main → #1");
        assertThat(run("sessions", "branch", "s", "alt", "--from", "2")).isZero();
        assertThat(run("sessions", "checkout", "s", "alt")).isZero();
        run("sessions", "add", "s", "on alt");
        run("sessions", "show", "s");
        assertThat(out).contains("alt* → #3").contains("on alt");
        assertThat(run("sessions", "fork", "s", "1")).isZero();
        assertThat(out.trim()).isEqualTo("branch fork/1");
        assertThat(run("sessions", "clone", "s", "--id", "copy")).isZero();
        assertThat(run("sessions", "clone", "s", "--mode", "initial", "--id", "blank")).isZero();
        assertThat(run("sessions", "merge", "s", "copy", "--id", "both")).isZero();
        assertThat(run("sessions", "redact", "s", "3", "--by", "dpo")).isZero();
        run("sessions", "show", "s");
        assertThat(out).contains("[redacted by dpo").doesNotContain("on alt");
        assertThat(run("gc")).isZero();
        assertThat(out.trim()).isEqualTo("deleted 0 expired sessions");
    }

    @Test
    void userMistakesPrintOneLineAndExitNonZeroWithoutAStackTrace() {
        assertThat(run("sessions", "show", "nope")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err.trim()).isEqualTo("parley: no session nope");

        assertThat(run("sessions", "create", "--id", "../x")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).startsWith("parley: session id must be").doesNotContain("\tat ");
        assertThat(err.lines().count()).isEqualTo(1);

        run("sessions", "create", "--id", "dup");
        assertThat(run("sessions", "create", "--id", "dup")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err.trim()).isEqualTo("parley: session dup already exists");

        assertThat(runWithStdin("{\"format\":\"parley.session\",\"version\":7}", "sessions", "import", "-"))
                .isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).contains("newer than this Parley understands");

        assertThat(run("sessions", "add", "dup", "--role", "wizard", "hi")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).contains("role must be one of system, user, assistant, tool");

        assertThat(run("sessions", "frobnicate")).isEqualTo(ParleyCli.USAGE_ERROR);
        assertThat(err).contains("Unmatched argument");
    }

    @Test
    void anUnknownStoreIsExplained() {
        store = "mongo://x";
        assertThat(run("sessions", "ls")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).contains("unknown store 'mongo:'").contains("sqlite:").contains("jsonl:").contains("memory:");
    }

    @Test
    void theJsonlStoreWorksFromTheCommandLineToo() {
        store = "jsonl:" + dir.resolve("sessions");
        assertThat(run("sessions", "create", "--id", "j1")).isZero();
        assertThat(run("sessions", "add", "j1", "kept in a file")).isZero();
        assertThat(run("sessions", "show", "j1")).isZero();
        assertThat(out).contains("kept in a file");
    }

    @Test
    void contextQuotaStatsAndTemplatesAreAvailableFromTheCommandLine() {
        assertThat(run("sessions", "create", "--id", "t", "--template", "coding-assistant", "--var", "language=Java")).isZero();
        for (int i = 0; i < 10; i++) {
            run("sessions", "add", "t", "question " + i);
            run("sessions", "add", "t", "--role", "assistant", "answer " + i);
        }
        assertThat(run("sessions", "context", "t", "--policy", "last:2", "--model", "gpt-4o")).isZero();
        assertThat(out).contains("initial  system     You are a senior Java engineer.")
                .contains("user       question 9").contains("assistant  answer 9")
                .contains("o200k_base").contains("3 messages sent, 18 left out");
        assertThat(run("sessions", "context", "t", "--policy", "tokens:4000", "--json")).isZero();
        assertThat(json().get("totalTokens").intValue()).isPositive();

        assertThat(run("sessions", "quota", "t", "--model", "gpt-4o")).isZero();
        assertThat(out).contains("of 128000 tokens").contains("level SAFE");
        assertThat(run("sessions", "quota", "t", "--model", "my-local-model")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).contains("contextWindow");
        assertThat(run("sessions", "quota", "t", "--model", "my-local-model", "--window", "8192")).isZero();

        assertThat(run("sessions", "stats", "t")).isZero();
        assertThat(out).contains("messages    20 (user 10").contains("assistant 10");
        assertThat(run("sessions", "stats", "--json")).isZero();
        assertThat(json().get("messagesByRole").get("user").intValue()).isEqualTo(10);

        assertThat(run("sessions", "create", "--template", "coding-assistant")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err.trim()).isEqualTo("parley: template coding-assistant needs variable language");
        assertThat(run("sessions", "context", "t", "--policy", "tokens:0")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(run("sessions", "context", "t", "--policy", "window")).isEqualTo(ParleyCli.USER_ERROR);
        assertThat(err).contains("unknown policy 'window'");

        assertThat(run("sessions", "create", "--id", "lone")).isZero();
        assertThat(run("sessions", "add", "lone", "only question")).isZero();
        assertThat(run("sessions", "context", "lone")).isZero();
        assertThat(out).contains("1 message sent, 0 left out");
    }
}
