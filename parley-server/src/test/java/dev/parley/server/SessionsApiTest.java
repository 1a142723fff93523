package dev.parley.server;

import dev.parley.json.ParleyJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsApiTest {
    private static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aSessionIsCreatedWithEverythingTheRequestGives() {
        String expires = api.clock.instant().plusSeconds(3600).toString();
        TestServer.Response created = api.post("/v1/sessions").json("""
                {"id": "create-full", "userId": "alice", "systemPrompt": "Be brief.",
                 "initialPrompts": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}],
                 "metadata": {"title": "Trip"}, "state": {"plan": {"city": "Oslo"}}, "ttl": 3600, "idleTtl": 600,
                 "model": {"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.2, "policy": "last:10"},
                 "quota": {"tokenBudget": 5000, "contextWindow": 4096}, "sanitize": true, "checkpointEvery": 4}
                """).send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/sessions/create-full");
        JsonNode s = created.json();
        assertThat(created.header("ETag")).isEqualTo("\"" + s.get("version").asLong() + "\"");
        assertThat(s.get("userId").asString()).isEqualTo("alice");
        assertThat(s.at("/metadata/title").asString()).isEqualTo("Trip");
        assertThat(s.get("idleTtl").asLong()).isEqualTo(600);
        assertThat(s.get("absoluteExpiresAt").asString()).isEqualTo(expires);
        assertThat(s.at("/model/model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(s.at("/model/contextWindow").asString()).isEqualTo("4096");
        assertThat(s.get("sanitize").asBoolean()).isTrue();
        assertThat(s.get("tokenBudget").asLong()).isEqualTo(5000);
        assertThat(s.at("/branches/0/name").asString()).isEqualTo("main");
        assertThat(s.at("/counts/onCurrentBranch").asLong()).isEqualTo(3);
        assertThat(s.at("/quota/contextWindow").asInt()).isEqualTo(4096);
        assertThat(s.at("/quota/level").asString()).isEqualTo("safe");

        JsonNode state = api.get("/v1/sessions/create-full/state").send().json();
        assertThat(state.at("/session/plan/city").asString()).isEqualTo("Oslo");
    }

    @Test
    void aSessionWithoutAnIdGetsAnUnguessableOne() {
        JsonNode s = api.post("/v1/sessions").json("{}").send().json();

        assertThat(s.get("id").asString()).matches("[0-9a-z]{26}");
        assertThat(s.get("userId").asString()).isEqualTo("anonymous");
    }

    @Test
    void aTemplateFillsTheSessionAndExplicitFieldsWin() {
        JsonNode s = api.post("/v1/sessions").json("""
                {"template": "coding-assistant", "vars": {"language": "Java"}, "metadata": {"category": "mine"}}
                """).send().json();

        String id = s.get("id").asString();
        assertThat(s.at("/metadata/template").asString()).isEqualTo("coding-assistant");
        assertThat(s.at("/metadata/category").asString()).isEqualTo("mine");
        assertThat(s.at("/model/temperature").asString()).isEqualTo("0.2");
        JsonNode context = api.get("/v1/sessions/" + id + "/context").send().json();
        assertThat(context.at("/messages/0/parts/0/text").asString()).contains("senior Java engineer");
    }

    @Test
    void aTemplateMissingAVariableIsRefusedNamingIt() {
        TestServer.Response r = api.post("/v1/sessions").json("{\"template\": \"customer-support\", \"vars\": {\"company\": \"X\"}}")
                .send();

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asString()).contains("product");
        assertThat(api.post("/v1/sessions").json("{\"template\": \"nope\"}").send().status()).isEqualTo(404);
    }

    @Test
    void aTakenIdIsAConflictAndChangesNothing() {
        api.createSession("{\"id\": \"taken\", \"metadata\": {\"v\": \"1\"}}");

        TestServer.Response again = api.post("/v1/sessions").json("{\"id\": \"taken\", \"metadata\": {\"v\": \"2\"}}").send();

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("already_exists");
        assertThat(api.get("/v1/sessions/taken").send().json().at("/metadata/v").asString()).isEqualTo("1");
    }

    @Test
    void listingPagesThroughEverySessionOfAUserNewestFirst() {
        for (int i = 0; i < 5; i++) {
            api.createSession("{\"id\": \"list-" + i + "\", \"userId\": \"lister\"}");
            api.clock.advance(Duration.ofSeconds(1));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/v1/sessions?userId=lister&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).send().json();
            page.get("items").forEach(item -> seen.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);

        assertThat(seen).containsExactly("list-4", "list-3", "list-2", "list-1", "list-0");
        assertThat(pages).isEqualTo(3);
        assertThat(api.get("/v1/sessions?limit=0").send().status()).isEqualTo(400);
        assertThat(api.get("/v1/sessions?cursor=not-a-cursor").send().errorCode()).isEqualTo("invalid_request");
    }

    @Test
    void patchMergesMetadataAndModelDefaultsAndMovesExpiry() {
        api.createSession("{\"id\": \"patched\", \"metadata\": {\"a\": \"1\", \"b\": \"2\"}, \"model\": {\"model\": \"m1\"}}");

        TestServer.Response r = api.patch("/v1/sessions/patched").json("""
                {"metadata": {"a": null, "c": "3"}, "model": {"model": null, "temperature": 0.5}, "ttl": 60}
                """).send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(ParleyJson.write(s.get("metadata"))).isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
        assertThat(ParleyJson.write(s.get("model"))).isEqualTo("{\"temperature\":\"0.5\"}");
        assertThat(s.get("absoluteExpiresAt").asString()).isEqualTo(api.clock.instant().plusSeconds(60).toString());
        assertThat(r.header("ETag")).isEqualTo("\"" + s.get("version").asLong() + "\"");
    }

    @Test
    void patchWithAnOldVersionIsAConflictAndChangesNothing() {
        JsonNode s = api.post("/v1/sessions").json("{\"id\": \"if-match-patch\"}").send().json();
        long version = s.get("version").asLong();
        api.patch("/v1/sessions/if-match-patch").json("{\"metadata\": {\"k\": \"first\"}}").send();

        TestServer.Response stale = api.patch("/v1/sessions/if-match-patch").header("If-Match", "\"" + version + "\"")
                .json("{\"metadata\": {\"k\": \"second\"}}").send();

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorCode()).isEqualTo("version_conflict");
        assertThat(api.get("/v1/sessions/if-match-patch").send().json().at("/metadata/k").asString()).isEqualTo("first");
    }

    @Test
    void theSystemPromptCannotBePatchedAndTheErrorSaysWhy() {
        api.createSession("{\"id\": \"no-system-change\", \"systemPrompt\": \"Old.\"}");

        TestServer.Response r = api.patch("/v1/sessions/no-system-change").json("{\"systemPrompt\": \"New.\"}").send();

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/field").asString()).isEqualTo("systemPrompt");
        assertThat(r.json().at("/error/message").asString()).contains("every branch");
    }

    @Test
    void aDeletedSessionIsGoneEverywhere() {
        api.createSession("{\"id\": \"to-delete\"}");

        assertThat(api.delete("/v1/sessions/to-delete").send().status()).isEqualTo(204);
        assertThat(api.get("/v1/sessions/to-delete").send().status()).isEqualTo(404);
        assertThat(api.delete("/v1/sessions/to-delete").send().status()).isEqualTo(404);
        assertThat(api.get("/v1/sessions/to-delete/messages").send().status()).isEqualTo(404);
    }

    @Test
    void erasingAUserDeletesAllTheirSessionsAndNoOneElses() {
        api.createSession("{\"id\": \"erase-1\", \"userId\": \"eraseme\"}");
        api.createSession("{\"id\": \"erase-2\", \"userId\": \"eraseme\"}");
        api.createSession("{\"id\": \"erase-keep\", \"userId\": \"keepme\"}");

        TestServer.Response r = api.delete("/v1/users/eraseme").send();

        assertThat(r.json().get("deletedSessions").asInt()).isEqualTo(2);
        assertThat(api.get("/v1/sessions/erase-1").send().status()).isEqualTo(404);
        assertThat(api.get("/v1/sessions/erase-keep").send().status()).isEqualTo(200);
    }

    @Test
    void aCloneCopiesTheWholeHistoryOrOnlyTheInitialContext() {
        api.createSession("{\"id\": \"clone-src\", \"systemPrompt\": \"S.\"}");
        api.post("/v1/sessions/clone-src/messages").json("{\"role\": \"user\", \"content\": \"one\"}").send();

        TestServer.Response full = api.post("/v1/sessions/clone-src/clone").json("{\"id\": \"clone-full\"}").send();
        TestServer.Response initial = api.post("/v1/sessions/clone-src/clone").json("{\"id\": \"clone-init\", \"mode\": \"initial\"}")
                .send();

        assertThat(full.status()).isEqualTo(201);
        assertThat(full.json().at("/counts/onCurrentBranch").asInt()).isEqualTo(2);
        assertThat(initial.json().at("/counts/onCurrentBranch").asInt()).isEqualTo(1);
        assertThat(api.post("/v1/sessions/clone-src/clone").json("{\"mode\": \"half\"}").send().status()).isEqualTo(400);
    }

    @Test
    void twoSessionsMergeIntoANewOne() {
        api.createSession("{\"id\": \"merge-a\"}");
        api.createSession("{\"id\": \"merge-b\"}");
        api.post("/v1/sessions/merge-a/messages").json("{\"role\": \"user\", \"content\": \"from a\"}").send();
        api.clock.advance(Duration.ofSeconds(1));
        api.post("/v1/sessions/merge-b/messages").json("{\"role\": \"user\", \"content\": \"from b\"}").send();

        TestServer.Response merged = api.post("/v1/sessions/merge").json("{\"sources\": [\"merge-a\", \"merge-b\"], \"id\": \"merged\"}")
                .send();

        assertThat(merged.status()).as(merged.toString()).isEqualTo(201);
        JsonNode page = api.get("/v1/sessions/merged/messages").send().json();
        assertThat(page.at("/items/0/content").asString()).isEqualTo("from a");
        assertThat(page.at("/items/1/content").asString()).isEqualTo("from b");
        assertThat(api.post("/v1/sessions/merge").json("{\"sources\": [\"merge-a\"]}").send().status()).isEqualTo(400);
    }

    @Test
    void anExportImportsBackUnderANewIdAndTheOtherFormatsRender() {
        api.createSession("{\"id\": \"export-src\", \"systemPrompt\": \"Sys.\"}");
        api.post("/v1/sessions/export-src/messages").json("{\"role\": \"user\", \"content\": \"Hello\"}").send();

        String document = api.get("/v1/sessions/export-src/export").send().body();
        TestServer.Response imported = api.post("/v1/sessions/import?id=export-copy").json(document).send();
        JsonNode openai = api.get("/v1/sessions/export-src/export?format=openai").send().json();
        JsonNode anthropic = api.get("/v1/sessions/export-src/export?format=anthropic").send().json();

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(api.get("/v1/sessions/export-copy/messages").send().json().at("/items/1/content").asString()).isEqualTo("Hello");
        assertThat(openai.at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(anthropic.get("system").toString()).contains("Sys.");
        assertThat(anthropic.at("/messages/0/role").asString()).isEqualTo("user");
        assertThat(api.get("/v1/sessions/export-src/export?format=xml").send().status()).isEqualTo(400);
        assertThat(api.post("/v1/sessions/import").json("{\"format\": \"parley.session\"}").send().status()).isEqualTo(400);
    }

    @Test
    void unknownAndMistypedFieldsAreRefusedByName() {
        TestServer.Response typo = api.post("/v1/sessions").json("{\"userid\": \"bob\"}").send();
        TestServer.Response type = api.post("/v1/sessions").json("{\"ttl\": \"1h\"}").send();
        TestServer.Response meta = api.post("/v1/sessions").json("{\"metadata\": {\"n\": 1}}").send();
        TestServer.Response model = api.post("/v1/sessions").json("{\"model\": {\"temperature\": 9}}").send();

        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().at("/error/message").asString()).contains("unknown field 'userid'").contains("userId");
        assertThat(type.json().at("/error/field").asString()).isEqualTo("ttl");
        assertThat(type.json().at("/error/message").asString())
                .isEqualTo("ttl must be a whole number of seconds from 1 to 3153600000, not '1h'");
        assertThat(api.post("/v1/sessions").json("{\"checkpointEvery\": -2}").send().json().at("/error/message").asString())
                .isEqualTo("checkpointEvery must be a whole number from 0 to 1000000, not -2");
        assertThat(meta.json().at("/error/field").asString()).isEqualTo("metadata.n");
        assertThat(model.json().at("/error/message").asString()).contains("temperature");
    }
}
