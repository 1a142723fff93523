package dev.parley.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.InvalidInputException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.store.SessionImage;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the session importer ({@link SessionDocument#read}), fed the text of an export file as a user would
 * hand it to {@code importJson}. In a normal build they run in regression mode over the seed inputs in
 * {@code src/test/resources/dev/parley/io/SessionDocumentFuzzTestInputs/<method>/}; run
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-core -Dtest='SessionDocumentFuzzTest#<method>'} to fuzz one method
 * for real (new crashing inputs are written next to the seeds).
 *
 * <p>An import file comes from outside, so anything wrong with it must be reported as
 * {@link InvalidInputException} naming the field: any other exception escapes the API's error mapping (a 500 on the
 * server, a stack trace in the CLI). The fuzzer fails on any exception the test lets through.
 */
class SessionDocumentFuzzTest {
    private static final TenantId TENANT = TenantId.of("fuzz");

    @FuzzTest(maxDuration = "3m")
    void importAcceptsOrRefusesClearlyAndRoundTrips(byte[] input) {
        JsonNode root = parsed(input);
        if (root == null) {
            return;
        }
        SessionImage image;
        try {
            image = SessionDocument.read(root, TENANT, null);
        } catch (InvalidInputException refused) {
            // The domain's own checks (ids, names, summary ranges) may refuse too; either way the caller must learn what.
            assertThat(refused.field()).isNotBlank();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        // What was accepted must export and import again unchanged: an export is the backup format, and a backup that
        // does not restore to the same session (or cannot be restored at all) loses data silently.
        String exported = ParleyJson.write(SessionDocument.write(image));
        SessionImage again = SessionDocument.read(ParleyJson.parse(exported, "re-export"), TENANT, null);
        assertThat(again).isEqualTo(image);
        assertThat(ParleyJson.write(SessionDocument.write(again))).isEqualTo(exported);
    }

    @FuzzTest(maxDuration = "3m")
    void importUnderAnotherIdAcceptsOrRefusesClearly(byte[] input) {
        // The id given by the importer replaces the document's, so the document's id is never looked at: a different
        // path through read() than the one above.
        JsonNode root = parsed(input);
        if (root == null) {
            return;
        }
        try {
            SessionImage image = SessionDocument.read(root, TENANT, SessionId.of("renamed"));
            assertThat(image.info().id()).isEqualTo(SessionId.of("renamed"));
            assertThat(image.info().tenant()).isEqualTo(TENANT);
        } catch (InvalidInputException refused) {
            assertThat(refused.field()).isNotBlank();
        }
    }

    /** The input as JSON, or null when it is not JSON, which must then be refused as such, naming the export. */
    private static JsonNode parsed(byte[] input) {
        try {
            return ParleyJson.parse(new String(input, StandardCharsets.UTF_8), "session export");
        } catch (InvalidInputException notJson) {
            // A parser exception leaking out instead is one of the bugs this checks.
            assertThat(notJson.field()).isEqualTo("session export");
            return null;
        }
    }
}
