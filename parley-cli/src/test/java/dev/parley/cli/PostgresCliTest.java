package dev.parley.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI on PostgreSQL: named by --store or PARLEY_STORE, and as source and target of a migration. */
class PostgresCliTest {
    @TempDir
    Path dir;

    private final List<String> schemas = new ArrayList<>();
    private String out;
    private String err;

    @BeforeEach
    void needsPostgres() {
        TestPostgres.require();
    }

    @AfterEach
    void dropTheSchemas() throws SQLException {
        for (String schema : schemas) {
            TestPostgres.drop(schema);
        }
    }

    private String freshStore() {
        String schema = TestPostgres.freshSchema("parley_cli");
        schemas.add(schema);
        return TestPostgres.location(schema);
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void sessionsAreCreatedFilledAndShownOnPostgres() {
        String store = freshStore();

        assertThat(run("sessions", "create", "--id", "pg1", "--user", "alice", "--system", "Be brief.", "--store", store)).isZero();
        assertThat(run("sessions", "add", "pg1", "Hello", "from", "the", "CLI", "--store", store)).isZero();
        assertThat(out.trim()).isEqualTo("#2");
        assertThat(run("sessions", "show", "pg1", "--store", store)).isZero();

        assertThat(out).contains("session     pg1 (tenant default, user alice)").contains("user       Hello from the CLI");
        assertThat(err).isEmpty();
    }

    @Test
    void parleyStoreInTheEnvironmentNamesThePostgresStore() throws Exception {
        String store = freshStore();
        assertThat(run("sessions", "create", "--id", "from-env", "--user", "bob", "--store", store)).isZero();

        ProcessBuilder parley = ChildJvm.of(ParleyCli.class, "sessions", "ls");
        parley.environment().put("PARLEY_STORE", store);
        // Were PARLEY_STORE ignored, the default ./parley-data/parley.db would be created here, not in the module.
        parley.directory(dir.toFile());
        parley.redirectError(dir.resolve("stderr.txt").toFile());
        Process process = parley.start();
        String listed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("parley sessions ls finished").isTrue();
        assertThat(process.exitValue()).as(java.nio.file.Files.readString(dir.resolve("stderr.txt"))).isZero();
        assertThat(listed).contains("from-env").contains("bob");
    }

    @Test
    void migrateCarriesEverythingFromSqliteToPostgresAndOnToJsonlVerifyingEachCopy() {
        String sqlite = "sqlite:" + dir.resolve("source.db");
        String postgres = freshStore();
        String jsonl = "jsonl:" + dir.resolve("jsonl");
        SampleData.fill(sqlite);
        Map<String, Object> original = SampleData.read(sqlite);

        assertThat(run("migrate", "--from", sqlite, "--to", postgres, "--tenant", "default", "--tenant", "acme", "--progress", "none"))
                .as(err).isZero();
        assertThat(out).contains("verified  3 of 3 sessions: entry counts and SHA-256 checksums match");
        assertThat(run("migrate", "--from", postgres, "--to", jsonl, "--tenant", "default", "--tenant", "acme", "--progress", "none"))
                .as(err).isZero();
        assertThat(out).contains("from      " + postgres).contains("verified  3 of 3 sessions");

        assertThat(SampleData.read(postgres)).isEqualTo(original);
        assertThat(SampleData.read(jsonl)).isEqualTo(original);
    }
}
