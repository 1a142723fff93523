package dev.parley.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesApiTest {
    private static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestServer.Response append(String id, String json) {
        return api.post("/v1/sessions/" + id + "/messages").json(json).send();
    }

    @Test
    void anAppendReturnsTheEntriesAndTheNewVersionAsAnETag() {
        api.createSession("{\"id\": \"append-1\"}");

        TestServer.Response r = append("append-1", "{\"role\": \"user\", \"content\": \"Hello\", \"name\": \"Ann\", "
                + "\"metadata\": {\"channel\": \"web\"}}");

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode entry = r.json().at("/entries/0");
        assertThat(entry.get("role").asString()).isEqualTo("user");
        assertThat(entry.get("content").asString()).isEqualTo("Hello");
        assertThat(entry.get("name").asString()).isEqualTo("Ann");
        assertThat(entry.at("/metadata/channel").asString()).isEqualTo("web");
        long version = api.get("/v1/sessions/append-1").send().json().get("version").asLong();
        assertThat(r.header("ETag")).isEqualTo("\"" + version + "\"");
    }

    @Test
    void bodiesArriveIntactWhetherSizedChunkedOrInADeclaredCharsetAndLargeRepliesComeBackWhole() throws Exception {
        api.createSession("{\"id\": \"append-bodies\"}");
        String long1 = "Grüße, 東京 🙂 ".repeat(600);

        TestServer.Response sized = append("append-bodies", "{\"role\": \"user\", \"content\": \"" + long1 + "\"}");
        var chunkedRequest = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.server.url()
                        + "/v1/sessions/append-bodies/messages"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        "{\"role\": \"assistant\", \"content\": \"chunked ü\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build();
        var chunked = java.net.http.HttpClient.newHttpClient().send(chunkedRequest,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        TestServer.Response latin1 = api.post("/v1/sessions/append-bodies/messages")
                .header("Content-Type", "application/json; charset=ISO-8859-1")
                .bytes("{\"role\": \"user\", \"content\": \"café\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .send();

        assertThat(sized.status()).as(sized.toString()).isEqualTo(201);
        assertThat(sized.json().at("/entries/0/content").asString()).isEqualTo(long1);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(201);
        assertThat(latin1.status()).as(latin1.toString()).isEqualTo(201);
        JsonNode items = api.get("/v1/sessions/append-bodies/messages").send().json().get("items");
        assertThat(items.get(0).get("content").asString()).isEqualTo(long1);
        assertThat(items.get(1).get("content").asString()).isEqualTo("chunked ü");
        assertThat(items.get(2).get("content").asString()).isEqualTo("café");
    }

    @Test
    void severalMessagesToolCallsAndResultsAppendTogether() {
        api.createSession("{\"id\": \"append-batch\"}");

        TestServer.Response r = append("append-batch", """
                {"messages": [
                  {"role": "user", "content": "Weather?"},
                  {"role": "assistant", "parts": [{"type": "tool_call", "id": "c1", "name": "weather", "arguments": "{}"}]},
                  {"role": "tool", "toolCallId": "c1", "content": "sunny"},
                  {"role": "assistant", "content": "It is sunny."}]}
                """);

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("entries").size()).isEqualTo(4);
        assertThat(r.json().at("/entries/1/parts/0/type").asString()).isEqualTo("tool_call");
        assertThat(r.json().at("/entries/2/toolCallId").asString()).isEqualTo("c1");
    }

    @Test
    void malformedMessagesAreRefusedNamingTheFieldAndNothingIsAppended() {
        api.createSession("{\"id\": \"append-bad\"}");

        TestServer.Response noRole = append("append-bad", "{\"content\": \"x\"}");
        TestServer.Response badRole = append("append-bad", "{\"role\": \"wizard\", \"content\": \"x\"}");
        TestServer.Response both = append("append-bad", "{\"role\": \"user\", \"content\": \"x\", \"parts\": []}");
        TestServer.Response toolCallInUser = append("append-bad", "{\"role\": \"user\", \"parts\": [{\"type\": \"tool_call\", "
                + "\"id\": \"c\", \"name\": \"n\", \"arguments\": \"{}\"}]}");
        TestServer.Response badBatch = append("append-bad", "{\"messages\": [{\"role\": \"user\", \"content\": \"ok\"}, "
                + "{\"role\": \"user\"}]}");

        assertThat(noRole.json().at("/error/field").asString()).isEqualTo("role");
        assertThat(badRole.json().at("/error/message").asString()).contains("role must be one of");
        assertThat(both.json().at("/error/message").asString()).contains("not both");
        assertThat(toolCallInUser.json().at("/error/message").asString()).contains("tool calls belong in assistant");
        assertThat(badBatch.json().at("/error/field").asString()).startsWith("messages[1]");
        TestServer.Response badRoleInBatch = append("append-bad", "{\"messages\": [{\"role\": \"user\", \"content\": \"ok\"}, "
                + "{\"role\": \"wizard\", \"content\": \"x\"}]}");
        assertThat(badRoleInBatch.json().at("/error/field").asString()).isEqualTo("messages[1].role");
        assertThat(badRoleInBatch.json().at("/error/message").asString())
                .isEqualTo("messages[1].role must be one of system, user, assistant, tool: 'wizard'");
        assertThat(append("append-bad", "{\"role\": \"user\", \"content\": \"x\", \"branch\": \"nope\"}").status()).isEqualTo(404);
        assertThat(append("append-bad", "{\"role\": \"user\", \"content\": \"x\", \"colour\": \"red\"}").status()).isEqualTo(400);
        assertThat(api.get("/v1/sessions/append-bad/messages").send().json().get("items").size()).isZero();
    }

    @Test
    void ifMatchWithAStaleVersionIsAConflictAndAppendsNothing() {
        JsonNode s = api.post("/v1/sessions").json("{\"id\": \"append-if-match\"}").send().json();
        String version = "\"" + s.get("version").asLong() + "\"";
        TestServer.Response first = api.post("/v1/sessions/append-if-match/messages").header("If-Match", version)
                .json("{\"role\": \"user\", \"content\": \"first\"}").send();

        TestServer.Response stale = api.post("/v1/sessions/append-if-match/messages").header("If-Match", version)
                .json("{\"role\": \"user\", \"content\": \"second\"}").send();
        TestServer.Response fresh = api.post("/v1/sessions/append-if-match/messages").header("If-Match", first.header("ETag"))
                .json("{\"role\": \"user\", \"content\": \"third\"}").send();

        assertThat(first.status()).isEqualTo(201);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorCode()).isEqualTo("version_conflict");
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(api.post("/v1/sessions/append-if-match/messages").header("If-Match", "yesterday")
                .json("{\"role\": \"user\", \"content\": \"x\"}").send().status()).isEqualTo(400);
        JsonNode items = api.get("/v1/sessions/append-if-match/messages").send().json().get("items");
        assertThat(items.size()).isEqualTo(2);
        assertThat(items.get(1).get("content").asString()).isEqualTo("third");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReplaysTheFirstResponse() {
        api.createSession("{\"id\": \"idem\"}");
        String body = "{\"role\": \"user\", \"content\": \"pay invoice 7\"}";

        TestServer.Response first = api.post("/v1/sessions/idem/messages").header("Idempotency-Key", "k-1").json(body).send();
        TestServer.Response retry = api.post("/v1/sessions/idem/messages").header("Idempotency-Key", "k-1").json(body).send();
        TestServer.Response other = api.post("/v1/sessions/idem/messages").header("Idempotency-Key", "k-1")
                .json("{\"role\": \"user\", \"content\": \"pay invoice 8\"}").send();

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replay")).isNull();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorCode()).isEqualTo("idempotency_mismatch");
        assertThat(api.get("/v1/sessions/idem/messages").send().json().get("items").size()).isEqualTo(1);
    }

    @Test
    void pagesWalkAPathBackwardsOldestFirstWithinEachPage() {
        api.createSession("{\"id\": \"paged\", \"systemPrompt\": \"S\"}");
        for (int i = 1; i <= 7; i++) {
            append("paged", "{\"role\": \"user\", \"content\": \"m" + i + "\"}");
        }
        api.patch("/v1/sessions/paged/state").json("{\"session\": {\"x\": 1}}").send();
        append("paged", "{\"role\": \"user\", \"content\": \"m8\"}");

        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/v1/sessions/paged/messages?limit=3" + (cursor == null ? "" : "&before=" + cursor)).send().json();
            List<String> texts = new ArrayList<>();
            page.get("items").forEach(i -> texts.add(i.get("content").asString()));
            pages.add(texts);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);

        assertThat(pages).containsExactly(List.of("m6", "m7", "m8"), List.of("m3", "m4", "m5"), List.of("S", "m1", "m2"));
        assertThat(api.get("/v1/sessions/paged/messages?before=abc").send().status()).isEqualTo(400);
        assertThat(api.get("/v1/sessions/paged/messages?before=99999").send().status()).isEqualTo(404);
        assertThat(api.get("/v1/sessions/paged/messages?branch=nope").send().status()).isEqualTo(404);
    }

    @Test
    void aRedactedMessageKeepsOnlyWhoErasedItAndWhen() {
        api.createSession("{\"id\": \"redact\"}");
        long entry = append("redact", "{\"role\": \"user\", \"content\": \"my card is 4111\"}").json().at("/entries/0/id").asLong();

        TestServer.Response r = api.delete("/v1/sessions/redact/messages/" + entry).send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode item = api.get("/v1/sessions/redact/messages").send().json().at("/items/0");
        assertThat(item.get("content").isNull()).isTrue();
        assertThat(item.at("/redacted/by").asString()).startsWith("key:");
        assertThat(api.get("/v1/sessions/redact/export").send().body()).doesNotContain("4111");
        assertThat(api.delete("/v1/sessions/redact/messages/999").send().status()).isEqualTo(404);
        assertThat(api.delete("/v1/sessions/redact/messages/x1").send().status()).isEqualTo(400);
    }

    @Test
    void theContextShowsWhatAModelWouldBeSentWithTokensAndRendersForEachProvider() {
        api.createSession("{\"id\": \"ctx\", \"systemPrompt\": \"Be kind.\"}");
        for (int i = 1; i <= 4; i++) {
            append("ctx", "{\"role\": \"user\", \"content\": \"q" + i + "\"}");
        }

        JsonNode all = api.get("/v1/sessions/ctx/context").send().json();
        JsonNode last = api.get("/v1/sessions/ctx/context?policy=last:2&model=gpt-4o").send().json();
        JsonNode openai = api.get("/v1/sessions/ctx/context?format=openai&model=gpt-4o").send().json();
        JsonNode anthropic = api.get("/v1/sessions/ctx/context?format=anthropic").send().json();
        JsonNode gemini = api.get("/v1/sessions/ctx/context?format=gemini").send().json();
        JsonNode ollama = api.get("/v1/sessions/ctx/context?format=ollama").send().json();

        assertThat(all.get("messages").size()).isEqualTo(5);
        assertThat(all.get("totalTokens").asInt()).isPositive();
        assertThat(last.get("messages").size()).isEqualTo(3);
        assertThat(last.get("omittedMessages").asInt()).isEqualTo(2);
        assertThat(openai.at("/request/model").asString()).isEqualTo("gpt-4o");
        assertThat(openai.at("/request/messages/0/role").asString()).isEqualTo("system");
        assertThat(anthropic.at("/request/system").toString()).contains("Be kind.");
        assertThat(gemini.at("/request/contents/0/role").asString()).isEqualTo("user");
        assertThat(ollama.at("/request/messages/0/role").asString()).isEqualTo("system");
        assertThat(api.get("/v1/sessions/ctx/context?format=cohere").send().status()).isEqualTo(400);
        assertThat(api.get("/v1/sessions/ctx/context?policy=last:x").send().errorCode()).isEqualTo("invalid_request");
        assertThat(api.get("/v1/sessions/ctx/context?policy=tokens:10:20").send().status()).isEqualTo(400);
    }
}
