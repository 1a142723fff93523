package dev.parley.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The history tree beyond messages (entries, edit, clear, pins, branch deletion) and state written value by value. */
class HistoryApiTest {
    private static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static long say(String id, String text) {
        return api.post("/v1/sessions/" + id + "/messages").json("{\"role\": \"user\", \"content\": \"" + text + "\"}").send()
                .json().at("/entries/0/id").asLong();
    }

    @Test
    void entriesOfEveryKindArePagedNewestPageFirstWithTheirPlaceInTheTree() {
        api.createSession("{\"id\": \"entries-1\", \"systemPrompt\": \"sys\", \"state\": {\"k\": 1}}");
        for (int i = 0; i < 5; i++) {
            say("entries-1", "m" + i);
        }
        JsonNode first = api.get("/v1/sessions/entries-1/entries?limit=3").send().json();
        assertThat(first.get("head").asLong()).isEqualTo(7);
        assertThat(first.get("items")).extracting(i -> i.get("id").asLong()).containsExactly(5L, 6L, 7L);
        assertThat(first.at("/items/2/depth").asInt()).isEqualTo(7);
        assertThat(first.at("/items/2/messages").asInt()).isEqualTo(6);
        assertThat(first.at("/items/2/stateRef").asLong()).isEqualTo(2);
        JsonNode rest = api.get("/v1/sessions/entries-1/entries?limit=3&before=" + first.get("nextCursor").asString()).send().json();
        assertThat(rest.get("items")).extracting(i -> i.get("kind").asString()).containsExactly("state", "message", "message");
        assertThat(rest.at("/items/0/payload/snapshot/k").asInt()).isEqualTo(1);
        JsonNode last = api.get("/v1/sessions/entries-1/entries?limit=3&before=" + rest.get("nextCursor").asString()).send().json();
        assertThat(last.get("items")).extracting(i -> i.get("content").asString()).containsExactly("sys");
        assertThat(last.get("nextCursor").isNull()).isTrue();

        assertThat(api.get("/v1/sessions/entries-1/entries/3").send().json().get("content").asString()).isEqualTo("m0");
        TestServer.Response missing = api.get("/v1/sessions/entries-1/entries/99").send();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("entry_not_found");
        assertThat(api.get("/v1/sessions/nope/entries/1").send().errorCode()).isEqualTo("not_found");
    }

    @Test
    void anAppendCanRequireTheHeadItSaw() {
        api.createSession("{\"id\": \"if-head\"}");
        TestServer.Response empty = api.post("/v1/sessions/if-head/messages")
                .json("{\"role\": \"user\", \"content\": \"first\", \"ifHead\": null}").send();
        assertThat(empty.status()).as(empty.toString()).isEqualTo(201);
        TestServer.Response stale = api.post("/v1/sessions/if-head/messages")
                .json("{\"messages\": [{\"role\": \"user\", \"content\": \"late\"}], \"ifHead\": null}").send();
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorCode()).isEqualTo("head_conflict");
        long head = empty.json().at("/entries/0/id").asLong();
        assertThat(api.post("/v1/sessions/if-head/messages")
                .json("{\"role\": \"user\", \"content\": \"next\", \"ifHead\": " + head + "}").send().status()).isEqualTo(201);
    }

    @Test
    void editClearPinsAndBranchDeletionMoveOnlyPointers() {
        api.createSession("{\"id\": \"tree-1\", \"systemPrompt\": \"sys\"}");
        long q1 = say("tree-1", "q1");
        say("tree-1", "a1");
        TestServer.Response edited = api.post("/v1/sessions/tree-1/messages/" + q1 + "/edit")
                .json("{\"role\": \"user\", \"content\": \"q1, rephrased\"}").send();
        assertThat(edited.status()).as(edited.toString()).isEqualTo(201);
        assertThat(edited.json().get("parent").asLong()).isEqualTo(1);

        long current = edited.json().get("id").asLong();
        JsonNode pinned = api.post("/v1/sessions/tree-1/pins").json("{\"entry\": " + current + "}").send().json();
        assertThat(pinned.get("items")).extracting(JsonNode::asLong).containsExactly(current);
        assertThat(api.delete("/v1/sessions/tree-1/pins/" + current).send().json().get("items")).isEmpty();

        api.post("/v1/sessions/tree-1/branches").json("{\"name\": \"alt/one\"}").send();
        JsonNode cleared = api.post("/v1/sessions/tree-1/branches/alt/one/clear").send().json();
        assertThat(cleared.get("head").asLong()).isEqualTo(1);
        assertThat(api.delete("/v1/sessions/tree-1/branches/alt/one").send().status()).isEqualTo(204);
        assertThat(api.get("/v1/sessions/tree-1/branches").send().json().get("items")).hasSize(1);
        assertThat(api.get("/v1/sessions/tree-1/checkpoints").send().json().get("items")).extracting(c -> c.get("name").asString())
                .allMatch(name -> name.startsWith("auto/"));
    }

    @Test
    void stateSetReplacesValuesAndItsVersionsCanBeBroughtBack() {
        api.createSession("{\"id\": \"state-set\", \"userId\": \"val\", \"state\": {\"plan\": {\"city\": \"Oslo\", \"days\": 3}}}");
        TestServer.Response set = api.post("/v1/sessions/state-set/state/session").json("{\"set\": {\"plan\": {\"days\": 5}}}").send();
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("session").toString()).isEqualTo("{\"plan\":{\"days\":5}}");
        api.post("/v1/sessions/state-set/state/user").json("{\"set\": {\"lang\": \"nb\"}}").send();
        api.post("/v1/sessions/state-set/state/user").json("{\"remove\": [\"lang\"]}").send();
        assertThat(api.get("/v1/sessions/state-set/state").send().json().get("user").isEmpty()).isTrue();
        assertThat(api.post("/v1/sessions/state-set/state/galaxy").json("{\"set\": {\"a\": 1}}").send().errorCode())
                .isEqualTo("invalid_request");
        assertThat(api.post("/v1/sessions/state-set/state/session").json("{\"set\": {\"a\": null}}").send().status()).isEqualTo(400);

        JsonNode versions = api.get("/v1/sessions/state-set/state/versions").send().json().get("items");
        assertThat(versions).hasSize(2);
        long original = versions.get(1).get("id").asLong();
        JsonNode restored = api.post("/v1/sessions/state-set/state/versions/" + original + "/restore").send().json();
        assertThat(restored.get("session").toString()).isEqualTo("{\"plan\":{\"city\":\"Oslo\",\"days\":3}}");
    }

    @Test
    void aPatchSetsTheCheckpointIntervalAndARedactionSaysOnWhoseBehalf() {
        api.createSession("{\"id\": \"patch-every\"}");
        api.patch("/v1/sessions/patch-every").json("{\"checkpointEvery\": 2}").send();
        say("patch-every", "a");
        say("patch-every", "b");
        JsonNode info = api.get("/v1/sessions/patch-every").send().json();
        assertThat(info.at("/settings/checkpointEvery").asString()).isEqualTo("2");
        assertThat(info.get("checkpoints")).extracting(c -> c.get("name").asString()).containsExactly("auto/2");

        JsonNode tombstone = api.delete("/v1/sessions/patch-every/messages/1?by=alice").send().json();
        assertThat(tombstone.at("/redacted/by").asString()).startsWith("key:").endsWith(" for alice");
        assertThat(api.delete("/v1/sessions/patch-every/messages/2?by=%07").send().status()).isEqualTo(400);
    }
}
