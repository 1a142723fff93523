package dev.parley.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class StateAndHistoryApiTest {
    private static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static long say(String id, String branch, String text) {
        return api.post("/v1/sessions/" + id + "/messages")
                .json("{\"role\": \"user\", \"content\": \"" + text + "\", \"branch\": \"" + branch + "\"}").send()
                .json().at("/entries/0/id").asLong();
    }

    private static String texts(String id, String branch) {
        StringBuilder out = new StringBuilder();
        api.get("/v1/sessions/" + id + "/messages?branch=" + branch).send().json().get("items")
                .forEach(i -> out.append(i.get("content").asString()).append(' '));
        return out.toString().strip();
    }

    @Test
    void stateIsAMergePatchPerScopeAndNullRemovesAKey() {
        api.createSession("{\"id\": \"state-1\", \"userId\": \"sam\", \"state\": {\"plan\": {\"city\": \"Oslo\", \"days\": 3}, \"gone\": 1}}");

        TestServer.Response r = api.patch("/v1/sessions/state-1/state").json("""
                {"session": {"plan": {"days": 5, "city": null}, "gone": null, "fresh": [1, 2]},
                 "user": {"lang": "nb"}, "app": {"motd": "hi"}}
                """).send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode state = api.get("/v1/sessions/state-1/state").send().json();
        assertThat(state.get("session").toString()).isEqualTo("{\"fresh\":[1,2],\"plan\":{\"days\":5}}");
        assertThat(state.at("/user/lang").asString()).isEqualTo("nb");
        assertThat(state.at("/app/motd").asString()).isEqualTo("hi");
        api.createSession("{\"id\": \"state-2\", \"userId\": \"sam\"}");
        assertThat(api.get("/v1/sessions/state-2/state").send().json().at("/user/lang").asString()).isEqualTo("nb");
    }

    @Test
    void sessionStateFollowsItsBranch() {
        api.createSession("{\"id\": \"state-branch\"}");
        say("state-branch", "main", "a");
        api.post("/v1/sessions/state-branch/branches").json("{\"name\": \"alt\"}").send();

        api.patch("/v1/sessions/state-branch/state").json("{\"session\": {\"k\": \"alt\"}, \"branch\": \"alt\"}").send();

        assertThat(api.get("/v1/sessions/state-branch/state?branch=alt").send().json().at("/session/k").asString()).isEqualTo("alt");
        assertThat(api.get("/v1/sessions/state-branch/state").send().json().get("session").size()).isZero();
        assertThat(api.patch("/v1/sessions/state-branch/state").json("{\"session\": {\"k\": 1}, \"branch\": \"nope\"}").send()
                .status()).isEqualTo(404);
        assertThat(api.patch("/v1/sessions/state-branch/state").json("{\"temp\": {}}").send().status()).isEqualTo(400);
    }

    @Test
    void aCheckpointRestoresABranchAndKeepsTheOldHeadAsAnAutomaticOne() {
        api.createSession("{\"id\": \"cp\"}");
        say("cp", "main", "one");
        TestServer.Response created = api.post("/v1/sessions/cp/checkpoints").json("{\"name\": \"before-two\", \"note\": \"safe\"}").send();
        say("cp", "main", "two");

        TestServer.Response restored = api.post("/v1/sessions/cp/checkpoints/before-two/restore").send();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("note").asString()).isEqualTo("safe");
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(texts("cp", "main")).isEqualTo("one");
        JsonNode list = api.get("/v1/sessions/cp/checkpoints").send().json().get("items");
        assertThat(list.size()).isEqualTo(2);
        String auto = list.get(1).get("name").asString();
        assertThat(auto).startsWith("auto/");
        assertThat(api.post("/v1/sessions/cp/checkpoints/" + auto + "/restore").send().status()).isEqualTo(200);
        assertThat(texts("cp", "main")).isEqualTo("one two");
        assertThat(api.post("/v1/sessions/cp/checkpoints").json("{\"name\": \"before-two\"}").send().errorCode())
                .isEqualTo("already_exists");
        assertThat(api.post("/v1/sessions/cp/checkpoints").json("{\"name\": \"auto/1\"}").send().status()).isEqualTo(400);
        assertThat(api.post("/v1/sessions/cp/checkpoints/missing/restore").send().status()).isEqualTo(404);
    }

    @Test
    void branchesStartAtAnEntryACheckpointOrAHeadAndCanBeCheckedOut() {
        api.createSession("{\"id\": \"br\"}");
        long first = say("br", "main", "one");
        say("br", "main", "two");
        api.post("/v1/sessions/br/checkpoints").json("{\"name\": \"at-two\"}").send();

        TestServer.Response fromEntry = api.post("/v1/sessions/br/branches").json("{\"name\": \"explore/a\", \"from\": " + first + "}")
                .send();
        api.post("/v1/sessions/br/branches").json("{\"name\": \"from-cp\", \"from\": \"at-two\"}").send();
        api.post("/v1/sessions/br/branches").json("{\"name\": \"from-head\"}").send();
        say("br", "explore/a", "three-a");

        assertThat(fromEntry.status()).as(fromEntry.toString()).isEqualTo(201);
        assertThat(texts("br", "explore/a")).isEqualTo("one three-a");
        assertThat(texts("br", "from-cp")).isEqualTo("one two");
        assertThat(texts("br", "from-head")).isEqualTo("one two");
        TestServer.Response checkout = api.post("/v1/sessions/br/branches/explore/a/checkout").send();
        assertThat(checkout.json().get("currentBranch").asString()).isEqualTo("explore/a");
        JsonNode branches = api.get("/v1/sessions/br/branches").send().json();
        assertThat(branches.get("currentBranch").asString()).isEqualTo("explore/a");
        assertThat(branches.get("items").size()).isEqualTo(4);
        assertThat(api.post("/v1/sessions/br/branches").json("{\"name\": \"main\"}").send().status()).isEqualTo(409);
        assertThat(api.post("/v1/sessions/br/branches").json("{\"name\": \"x\", \"from\": true}").send().status()).isEqualTo(400);
        assertThat(api.post("/v1/sessions/br/branches/ghost/checkout").send().status()).isEqualTo(404);
    }

    @Test
    void quotaAndAnalyticsDescribeTheSession() {
        api.createSession("{\"id\": \"qa\", \"quota\": {\"tokenBudget\": 1000}, \"model\": {\"model\": \"gpt-4o\"}}");
        say("qa", "main", "hello there");

        JsonNode quota = api.get("/v1/sessions/qa/quota").send().json();
        JsonNode analytics = api.get("/v1/sessions/qa/analytics").send().json();

        assertThat(quota.get("contextWindow").asInt()).isEqualTo(128_000);
        assertThat(quota.get("contextUsage").asInt()).isPositive();
        assertThat(quota.get("level").asString()).isEqualTo("safe");
        assertThat(quota.at("/budgets/session/limit").asLong()).isEqualTo(1000);
        assertThat(quota.at("/budgets/remaining").asLong()).isEqualTo(1000);
        assertThat(analytics.at("/messagesByRole/user").asLong()).isEqualTo(1);
        assertThat(api.get("/v1/sessions/qa/quota?policy=tokens:100:10&model=gpt-4o").send().json().get("inputQuota").asInt())
                .isEqualTo(90);
    }
}
