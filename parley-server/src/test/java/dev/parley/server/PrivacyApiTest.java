package dev.parley.server;

import dev.parley.InvalidInputException;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sanitising sessions through the server: /chat and the gateway, on an SQLite file. */
class PrivacyApiTest {
    private static final String EMAIL = "jane.doe@example.com";
    private static final String PHONE = "+44 20 7946 0958";
    private static final String CARD = "4111 1111 1111 1111";
    private static final List<String> ORIGINALS = List.of(EMAIL, PHONE, CARD, "4111111111111111", "7946 0958");

    @TempDir
    Path dir;

    private FakeOpenAiServer upstream;
    private TestServer api;

    @BeforeEach
    void start() {
        upstream = FakeOpenAiServer.start();
        api = server(Map.of());
    }

    @AfterEach
    void stop() {
        api.close();
        upstream.close();
    }

    private TestServer server(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("store", "sqlite:" + dir.resolve("data/parley.db"));
        all.put("model", "gpt-4o-mini");
        return TestServer.start(all, b -> b.environment(Map.of("OPENAI_API_KEY", "sk-up", "OPENAI_BASE_URL", upstream.baseUrl())));
    }

    private List<String> upstreamBodies() {
        return upstream.requests().stream().map(RecordedRequest::body).toList();
    }

    private OpenAiSdkClient sdk(String session) {
        return new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of("X-Parley-Session", session));
    }

    /** Every byte of every file the store wrote, as text. */
    private String onDisk() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void aSanitisedSessionsUpstreamAndDiskNeverSeeTheOriginalsWhileTheCallerGetsThemBack() throws IOException {
        JsonNode created = api.post("/v1/sessions").json("{\"id\": \"private\", \"sanitize\": true}").send().json();
        assertThat(created.get("sanitize").asBoolean()).isTrue();
        String first = "Mail me at " + EMAIL + " or call " + PHONE + "; my card is " + CARD + ".";
        upstream.replyText("I will mail <EMAIL_1> and call <PHONE_1>.");

        TestServer.Response chat = api.post("/v1/sessions/private/chat").json("{\"content\": \"" + first + "\"}").send();

        assertThat(chat.status()).as(chat.toString()).isEqualTo(200);
        String reply = chat.json().at("/reply/content").asString();
        assertThat(reply).isEqualTo("I will mail " + EMAIL + " and call " + PHONE + ".");
        assertThat(upstream.lastRequest().body()).contains("<EMAIL_1>", "<PHONE_1>", "<CREDIT_CARD_1>");

        // An OpenAI client holding the conversation as it saw it (originals) continues it through the gateway.
        OpenAiSdkClient client = sdk("private");
        OpenAiSdkClient.Conversation conversation = new OpenAiSdkClient.Conversation().user(first);
        conversation.messages.addObject().put("role", "assistant").put("content", reply);
        conversation.user("Charge " + CARD + " again, please.");
        upstream.replyText("Charging <CREDIT_CARD_1> now.");

        OpenAiSdkClient.Response charged = client.create(client.body("gpt-4o-mini", conversation));

        assertThat(charged.status()).as(charged.toString()).isEqualTo(200);
        assertThat(charged.header("X-Parley-Reconciled")).isEqualTo("append");
        assertThat(charged.content()).isEqualTo("Charging " + CARD + " now.");

        conversation.append(charged.json()).user("And write to me when it is done.");
        upstream.replyText("I will write to <EMAIL_1> when <CREDIT_CARD_1> is charged.");
        OpenAiSdkClient.Stream streamed = client.stream(client.body("gpt-4o-mini", conversation));

        assertThat(streamed.done()).as(streamed.toString()).isTrue();
        assertThat(streamed.text()).isEqualTo("I will write to " + EMAIL + " when " + CARD + " is charged.");
        assertThat(upstreamBodies()).hasSize(3).allSatisfy(body -> assertThat(body).doesNotContain(ORIGINALS));
        JsonNode stored = api.get("/v1/sessions/private/messages").send().json().get("items");
        assertThat(stored.size()).isEqualTo(6);
        assertThat(stored.toString()).doesNotContain(ORIGINALS).contains("<EMAIL_1>");

        api.close();
        String disk = onDisk();
        assertThat(disk).contains("<EMAIL_1>").doesNotContain(ORIGINALS);
        api = server(Map.of());
    }

    @Test
    void aSessionCreatedWithoutSanitisingSendsTextAsItIs() {
        api.post("/v1/sessions").json("{\"id\": \"open\", \"sanitize\": false}").send();
        upstream.replyText("Noted.");

        api.post("/v1/sessions/open/chat").json("{\"content\": \"Mail " + EMAIL + "\"}").send();

        assertThat(upstream.lastRequest().body()).contains(EMAIL);
        assertThat(api.get("/v1/sessions/open").send().json().get("sanitize").asBoolean()).isFalse();
    }

    @Test
    void onAServerThatSanitisesByDefaultASessionTheGatewayCreatesSanitises() {
        api.close();
        api = server(Map.of("sanitize", "true"));
        upstream.replyText("Writing to <EMAIL_1>.");

        OpenAiSdkClient client = sdk("by-default");
        OpenAiSdkClient.Response r = client.create(client.body("gpt-4o-mini",
                new OpenAiSdkClient.Conversation().user("Write to " + EMAIL)));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.content()).isEqualTo("Writing to " + EMAIL + ".");
        assertThat(upstream.lastRequest().body()).doesNotContain(EMAIL);
        assertThat(api.get("/v1/sessions/by-default").send().json().get("sanitize").asBoolean()).isTrue();
    }

    @Test
    void aCloneOfASanitisedSessionRestoresItsPlaceholdersUnderItsOwnKey() {
        api.post("/v1/sessions").json("{\"id\": \"source\", \"sanitize\": true}").send();
        upstream.replyText("Saved <EMAIL_1>.");
        api.post("/v1/sessions/source/chat").json("{\"content\": \"My address is " + EMAIL + "\"}").send();

        TestServer.Response cloned = api.post("/v1/sessions/source/clone").json("{\"id\": \"copy\"}").send();
        assertThat(cloned.status()).as(cloned.toString()).isEqualTo(201);
        upstream.replyText("Your address is <EMAIL_1>.");
        TestServer.Response chat = api.post("/v1/sessions/copy/chat").json("{\"content\": \"What is my address?\"}").send();

        assertThat(chat.json().at("/reply/content").asString()).isEqualTo("Your address is " + EMAIL + ".");
        assertThat(upstream.lastRequest().body()).doesNotContain(EMAIL);
    }

    @Test
    void aMergeOfSanitisedSessionsRestoresTheOriginalsOfBoth() {
        for (String[] source : new String[][]{{"left", EMAIL}, {"right", "bob.roe@example.org"}}) {
            api.post("/v1/sessions").json("{\"id\": \"" + source[0] + "\", \"sanitize\": true}").send();
            upstream.replyText("Noted.");
            api.post("/v1/sessions/" + source[0] + "/chat").json("{\"content\": \"Mail " + source[1] + "\"}").send();
        }

        TestServer.Response merged = api.post("/v1/sessions/merge").json("{\"sources\": [\"left\", \"right\"], \"id\": \"both\"}")
                .send();
        assertThat(merged.status()).as(merged.toString()).isEqualTo(201);
        upstream.replyText("<EMAIL_1> and <EMAIL_2>.");
        TestServer.Response chat = api.post("/v1/sessions/both/chat").json("{\"content\": \"Whom do I mail?\"}").send();

        assertThat(chat.json().at("/reply/content").asString()).isEqualTo(EMAIL + " and bob.roe@example.org.");
        assertThat(upstream.lastRequest().body()).doesNotContain(EMAIL).doesNotContain("bob.roe@example.org")
                .contains("<EMAIL_2>");
    }

    @Test
    void creatingASanitisingSessionIsOneWrite() {
        long plain = api.post("/v1/sessions").json("{\"id\": \"plain\"}").send().json().get("version").asLong();
        long sanitising = api.post("/v1/sessions").json("{\"id\": \"sanitising\", \"sanitize\": true}").send().json()
                .get("version").asLong();

        assertThat(sanitising).isEqualTo(plain);
    }

    @Test
    void anInvalidMasterKeyStopsTheStartNamingTheSettingWithoutShowingIt() {
        assertThatThrownBy(() -> server(Map.of("masterKey", "not-a-key"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("masterKey").hasMessageContaining("not a valid").hasMessageNotContaining("not-a-key");
    }
}
