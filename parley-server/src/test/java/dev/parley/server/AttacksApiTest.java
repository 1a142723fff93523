package dev.parley.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input against a real SQLite store: every attempt is refused or finds nothing, and nothing changes. */
class AttacksApiTest {
    @TempDir
    static Path dir;
    private static TestServer api;
    private static String snapshot;

    @BeforeAll
    static void start() {
        api = TestServer.start(Map.of("store", "sqlite:" + dir.resolve("data/parley.db"), "maxBodyBytes", "4096"));
        api.createSession("{\"id\": \"victim\", \"userId\": \"vic\", \"metadata\": {\"k\": \"v\"}}");
        api.post("/v1/sessions/victim/messages").json("{\"role\": \"user\", \"content\": \"private\"}").send();
        snapshot = victim();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String victim() {
        return api.get("/v1/sessions/victim").send().body() + api.get("/v1/sessions/victim/messages").send().body()
                + api.get("/v1/sessions").send().json().get("items").size();
    }

    private static void assertRefusedAndNothingChanged(TestServer.Response r) {
        assertThat(r.status()).as(r.toString()).isIn(400, 404, 405);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
        assertThat(victim()).isEqualTo(snapshot);
    }

    @Test
    void pathTraversalAndInjectionInSessionIdsFindNothing() {
        List<String> ids = List.of("..%2Fvictim", "%2e%2e", "..", "victim%27%20OR%201%3D1%20--", "%27%20OR%20%271%27%3D%271",
                "victim%3B%20DROP%20TABLE%20sessions", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "victim%2500", "a".repeat(300),
                "%E2%80%AEvictim", "victim%20", "*");
        for (String id : ids) {
            assertRefusedAndNothingChanged(api.get("/v1/sessions/" + id).send());
            assertRefusedAndNothingChanged(api.get("/v1/sessions/" + id + "/messages").send());
            assertRefusedAndNothingChanged(api.post("/v1/sessions/" + id + "/messages")
                    .json("{\"role\": \"user\", \"content\": \"x\"}").send());
            assertRefusedAndNothingChanged(api.delete("/v1/sessions/" + id).send());
            assertRefusedAndNothingChanged(api.patch("/v1/sessions/" + id).json("{\"metadata\": {\"k\": \"w\"}}").send());
        }
    }

    @Test
    void injectionInBodyFieldsAndQueriesIsRefusedOrStoredVerbatim() {
        assertRefusedAndNothingChanged(api.post("/v1/sessions").json("{\"id\": \"x' OR 1=1 --\"}").send());
        assertRefusedAndNothingChanged(api.post("/v1/sessions").json("{\"id\": \"../victim\"}").send());
        assertRefusedAndNothingChanged(api.post("/v1/sessions").json("{\"userId\": \"' OR 1=1 --\"}").send());
        assertRefusedAndNothingChanged(api.get("/v1/sessions?userId=%27%20OR%201%3D1%20--").send());
        assertRefusedAndNothingChanged(api.get("/v1/sessions?cursor=%27%20OR%201%3D1").send());
        assertRefusedAndNothingChanged(api.post("/v1/sessions/victim/messages")
                .json("{\"role\": \"user'; DROP TABLE entries; --\", \"content\": \"x\"}").send());
        assertRefusedAndNothingChanged(api.post("/v1/sessions/victim/branches").json("{\"name\": \"../../etc\"}").send());
        assertRefusedAndNothingChanged(api.post("/v1/sessions/victim/checkpoints").json("{\"name\": \"a\\u0000b\"}").send());
        assertRefusedAndNothingChanged(api.post("/v1/admin/keys").json("{\"tenant\": \"../acme\"}").send());
        assertRefusedAndNothingChanged(api.delete("/v1/users/%27%20OR%201%3D1%20--").send());

        String sql = "'; DROP TABLE sessions; -- \\u0000 ../../etc/passwd";
        api.createSession("{\"id\": \"verbatim\", \"metadata\": {\"note\": \"" + sql + "\"}}");
        api.post("/v1/sessions/verbatim/messages").json("{\"role\": \"user\", \"content\": \"" + sql + "\"}").send();

        assertThat(api.get("/v1/sessions/verbatim").send().json().at("/metadata/note").asString())
                .isEqualTo("'; DROP TABLE sessions; -- \u0000 ../../etc/passwd");
        assertThat(api.get("/v1/sessions/verbatim/messages").send().json().at("/items/0/content").asString())
                .isEqualTo("'; DROP TABLE sessions; -- \u0000 ../../etc/passwd");
        assertThat(api.get("/v1/sessions/victim").send().status()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesAreRefusedWith413WhetherSizedOrChunked() {
        String big = "{\"role\": \"user\", \"content\": \"" + "x".repeat(5000) + "\"}";

        TestServer.Response sized = api.post("/v1/sessions/victim/messages").json(big).send();
        TestServer.Response chunked = chunked(big);

        assertThat(sized.status()).isEqualTo(413);
        assertThat(sized.errorCode()).isEqualTo("payload_too_large");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(victim()).isEqualTo(snapshot);
    }

    private static TestServer.Response chunked(String body) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.server.url() + "/v1/sessions/victim/messages"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))).build();
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new TestServer.Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void malformedJsonIsRefusedWithWhereItBroke() {
        TestServer.Response broken = api.post("/v1/sessions").json("{\"id\": \"x\",\n \"userId\": }").send();
        TestServer.Response array = api.post("/v1/sessions").json("[1, 2]").send();
        TestServer.Response deep = api.post("/v1/sessions").json("{\"state\": " + "[".repeat(1500) + "]".repeat(1500) + "}").send();
        TestServer.Response binary = api.post("/v1/sessions/victim/messages").header("Content-Type", "application/json")
                .bytes(new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2}).send();
        TestServer.Response trailing = api.post("/v1/sessions").json("{} {\"id\": \"second\"}").send();
        TestServer.Response unclosed = api.post("/v1/sessions").json("{\"id\": \"x\"").send();

        assertThat(unclosed.errorCode()).isEqualTo("invalid_json");
        // The parser's own location notes ("[Source: REDACTED …; byte offset: #UNKNOWN]") say nothing to a caller.
        assertThat(unclosed.json().at("/error/message").asString()).isEqualTo("request body is not valid JSON: "
                + "Unexpected end-of-input: expected close marker for Object (line 1, column 11)");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errorCode()).isEqualTo("invalid_json");
        assertThat(broken.json().at("/error/message").asString()).contains("line 2");
        assertThat(array.status()).isEqualTo(400);
        assertThat(deep.status()).isEqualTo(400);
        assertThat(binary.status()).isEqualTo(400);
        assertThat(trailing.status()).isEqualTo(400);
        for (TestServer.Response r : List.of(broken, array, deep, binary, trailing, unclosed)) {
            assertRefusedAndNothingChanged(r);
        }
    }

    @Test
    void anUnpairedSurrogateIsRefusedNamingWhereItIsInsteadOfBeingStoredAsAQuestionMark() {
        TestServer.Response message = api.post("/v1/sessions/victim/messages")
                .json("{\"role\": \"user\", \"content\": \"half an emoji \\ud83d\"}").send();
        TestServer.Response metadata = api.patch("/v1/sessions/victim").json("{\"metadata\": {\"k\": \"\\udc00\"}}").send();

        assertThat(message.status()).isEqualTo(400);
        assertThat(message.json().at("/error/message").asString())
                .isEqualTo("content holds an unpaired surrogate (U+D83D at index 14): text must be valid Unicode");
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.json().at("/error/message").asString()).startsWith("metadata.k holds an unpaired surrogate");
        assertRefusedAndNothingChanged(message);
        assertRefusedAndNothingChanged(metadata);
        // A whole pair, escaped, is one character and is kept as sent.
        assertThat(api.post("/v1/sessions").json("{\"id\": \"paired\", \"metadata\": {\"k\": \"\\ud83d\\ude00\"}}").send()
                .json().at("/metadata/k").asString()).isEqualTo("\uD83D\uDE00");
        assertThat(api.delete("/v1/sessions/paired").send().status()).isEqualTo(204);
        assertThat(victim()).isEqualTo(snapshot);
    }

    @Test
    void unknownRoutesAndMethodsAnswerInTheApisErrorShape() {
        assertRefusedAndNothingChanged(api.get("/v1/nothing-here").send());
        TestServer.Response method = api.delete("/v1/sessions/victim/state").send();
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.errorCode()).isEqualTo("method_not_allowed");
        assertRefusedAndNothingChanged(method);
    }

    @Test
    void aNulByteInTheRawPathIsRefusedByTheServerInJson() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/sessions/vic%00tim HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).contains("application/json").contains("\"code\":\"invalid_request\"").doesNotContain("<html");
        }
        assertThat(victim()).isEqualTo(snapshot);
    }
}
