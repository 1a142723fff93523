package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.domain.SessionId;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.store.SessionStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class PiiCommandTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    @AfterEach
    void restoreStdin() {
        SessionsCommand.stdin = System.in;
    }

    private int run(String input, String... args) {
        SessionsCommand.stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void scanPrintsTheFindingsOfAllOfStdinAsOneJsonLine() {
        assertThat(run("Contact: jane.doe@example.com, card 4111 1111 1111 1111\n", "pii", "scan")).isZero();
        assertThat(out).isEqualTo("{\"findings\":[{\"type\":\"EMAIL\",\"start\":9,\"end\":29,\"score\":0.95},"
                + "{\"type\":\"CREDIT_CARD\",\"start\":36,\"end\":55,\"score\":1.0}]}\n");
        assertThat(err).isEmpty();
    }

    @Test
    void offsetsCountUtf16CodeUnits() {
        assertThat(run("😀 jane@example.com", "pii", "scan")).isZero();
        assertThat(out).contains("\"start\":3,\"end\":19");
    }

    @Test
    void scanWithJsonlPrintsOneLinePerInputLineAndSkipsBlankLines() {
        String input = "{\"id\":1,\"text\":\"mail jane@example.com\"}\n\n{\"text\":\"nothing here\"}\n"
                + "{\"text\":\"key " + "AKIA" + "IOSFODNN7EXAMPLE" + "\"}\n";
        assertThat(run(input, "pii", "scan", "--jsonl")).isZero();
        assertThat(out.split("\n")).containsExactly(
                "{\"findings\":[{\"type\":\"EMAIL\",\"start\":5,\"end\":21,\"score\":0.95}]}",
                "{\"findings\":[]}",
                "{\"findings\":[{\"type\":\"SECRET\",\"start\":4,\"end\":24,\"score\":1.0}]}");
    }

    @Test
    void customDetectorsAndPhoneRegionsAreOptions() {
        assertThat(run("EMP-123456 from Orion rang 020 7946 0958", "pii", "scan", "--regex", "EMPLOYEE_ID=EMP-[0-9]{6}",
                "--terms", "CODENAME=Orion,Blue Falcon", "--region", "GB")).isZero();
        assertThat(out).contains("\"type\":\"EMPLOYEE_ID\",\"start\":0,\"end\":10")
                .contains("\"type\":\"CODENAME\",\"start\":16,\"end\":21")
                .contains("\"type\":\"PHONE\",\"start\":27,\"end\":40");
    }

    @Test
    void aMalformedJsonLineIsAnErrorNamingItsNumber() {
        String input = "{\"text\":\"jane@example.com\"}\n{\"text\": oops}\n{\"text\":\"never read\"}\n";
        assertThat(run(input, "pii", "scan", "--jsonl")).isEqualTo(1);
        assertThat(out.split("\n")).hasSize(1);
        assertThat(err).startsWith("parley: line 2 is not valid JSON:");
        assertThat(err.lines().count()).isEqualTo(1);

        assertThat(run("[1,2]\n", "pii", "redact", "--jsonl")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: line 1 must be a JSON object with a string \"text\" field\n");
    }

    @Test
    void redactPrintsTheSanitisedTextWithOnePlaceholderPerValue() {
        assertThat(run("jane@example.com wrote to bob@example.org and jane@example.com\n", "pii", "redact")).isZero();
        assertThat(out).isEqualTo("<EMAIL_1> wrote to <EMAIL_2> and <EMAIL_1>\n");
    }

    @Test
    void redactWithJsonlKeepsOtherFieldsAndThePlaceholdersAcrossLines() {
        String input = "{\"id\":1,\"text\":\"mail jane@example.com\"}\n{\"id\":2,\"text\":\"jane@example.com again\"}\n";
        assertThat(run(input, "pii", "redact", "--jsonl")).isZero();
        assertThat(out).isEqualTo("{\"id\":1,\"text\":\"mail <EMAIL_1>\"}\n{\"id\":2,\"text\":\"<EMAIL_1> again\"}\n");
    }

    @Test
    void actionsApplyToEveryTypeOrToOne() {
        assertThat(run("jane@example.com 4111 1111 1111 1111", "pii", "redact", "--action", "redact", "--action",
                "CREDIT_CARD=mask")).isZero();
        assertThat(out).isEqualTo("[REDACTED_EMAIL] ***************1111");
        assertThat(run("x", "pii", "redact", "--action", "shred")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: --action must be one of pseudonymise, redact, mask, keep (optionally TYPE=ACTION), got 'shred'\n");
    }

    @Test
    void aBadCustomPatternIsAClearError() {
        assertThat(run("x", "pii", "scan", "--regex", "ID=(")).isEqualTo(1);
        assertThat(err).startsWith("parley: the pattern of custom detector ID is not a valid RE2 expression");
        assertThat(run("x", "pii", "scan", "--regex", "no-equals-sign")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: --regex must be TYPE=PATTERN, got 'no-equals-sign'\n");
    }

    @Test
    void sessionsAreCreatedWithSanitisingOnOrOff() {
        String store = "sqlite:" + dir.resolve("parley.db");
        assertThat(run("", "sessions", "create", "--id", "private", "--sanitize", "--store", store)).isZero();
        assertThat(run("", "sessions", "create", "--id", "plain", "--no-sanitize", "--store", store)).isZero();
        try (Parley parley = Parley.builder().store(SessionStores.open(store, Clock.systemUTC())).build()) {
            assertThat(parley.open(SessionId.of("private")).info().settings()).containsEntry(SessionPrivacy.SANITIZE_SETTING, "true");
            assertThat(parley.open(SessionId.of("plain")).info().settings()).containsEntry(SessionPrivacy.SANITIZE_SETTING, "false");
        }
    }
}
