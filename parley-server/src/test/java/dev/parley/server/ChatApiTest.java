package dev.parley.server;

import dev.parley.json.ParleyJson;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.ScriptedReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChatApiTest {
    private static FakeOpenAiServer openai;
    private static TestServer api;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiServer.start();
        api = TestServer.start(Map.of(), b -> b.model("openai", OpenAiChatModel.builder().baseUrl(openai.baseUrl())
                .apiKey("sk-test").defaultModel("gpt-4o-mini").maxRetries(0).build()));
    }

    @AfterAll
    static void stop() {
        api.close();
        openai.close();
    }

    /** Server-sent events as (name, data) pairs. */
    private static List<String[]> events(String body) {
        List<String[]> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name != null) {
                out.add(new String[]{name, data});
            }
        }
        return out;
    }

    private static int messageCount(String id) {
        return api.get("/v1/sessions/" + id + "/messages").send().json().get("items").size();
    }

    @Test
    void aTurnAppendsTheUserMessageAndTheReplyAndReportsUsage() {
        api.createSession("{\"id\": \"chat-sync\", \"systemPrompt\": \"Be brief.\"}");
        openai.replyText("Hello, Ann!").usage(12, 4);

        TestServer.Response r = api.post("/v1/sessions/chat-sync/chat")
                .json("{\"content\": \"Hi, I am Ann\", \"params\": {\"temperature\": 0.3}}").send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode turn = r.json();
        assertThat(turn.at("/reply/content").asString()).isEqualTo("Hello, Ann!");
        assertThat(turn.get("entries").size()).isEqualTo(2);
        assertThat(turn.at("/usage/inputTokens").asInt()).isEqualTo(12);
        assertThat(turn.get("provider").asString()).isEqualTo("openai");
        JsonNode sent = openai.lastRequest().json();
        assertThat(sent.at("/messages/0/content").asString()).isEqualTo("Be brief.");
        assertThat(sent.at("/messages/1/content").asString()).isEqualTo("Hi, I am Ann");
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(messageCount("chat-sync")).isEqualTo(3);
        assertThat(api.get("/metrics").anonymous().send().body())
                .contains("parley_tokens_total{direction=\"in\",provider=\"openai\"}");
    }

    @Test
    void aStreamedTurnSendsDeltasThenTheFinishedTurn() {
        api.createSession("{\"id\": \"chat-sse\"}");
        openai.replyText("one two three four").usage(5, 4);

        TestServer.Response r = api.post("/v1/sessions/chat-sse/chat").header("Accept", "text/event-stream")
                .json("{\"content\": \"count\"}").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/event-stream");
        List<String[]> events = events(r.body());
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e[0].equals("delta")).forEach(e -> text.append(ParleyJson.parse(e[1], "d").get("text").asString()));
        assertThat(events.stream().filter(e -> e[0].equals("delta")).count()).isGreaterThan(1);
        assertThat(text.toString()).isEqualTo("one two three four");
        String[] last = events.getLast();
        assertThat(last[0]).isEqualTo("done");
        assertThat(ParleyJson.parse(last[1], "done").at("/reply/content").asString()).isEqualTo("one two three four");
        assertThat(openai.lastRequest().streamed()).isTrue();
        assertThat(messageCount("chat-sse")).isEqualTo(2);
    }

    @Test
    void streamTrueInTheBodyStreamsToo() throws Exception {
        api.createSession("{\"id\": \"chat-sse-body\"}");
        ScriptedReply.Gate gate = openai.replyText("first then rest").pauseAfterFirstChunk();

        var pending = java.net.http.HttpClient.newHttpClient().sendAsync(api.post("/v1/sessions/chat-sse-body/chat")
                .json("{\"content\": \"go\", \"stream\": true}").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(gate.awaitReached()).isTrue();
        HttpResponse<java.util.stream.Stream<String>> response = pending.get();
        java.util.Iterator<String> lines = response.body().iterator();
        String firstEvent = lines.next();
        String firstData = lines.next();
        gate.open();
        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);

        assertThat(firstEvent).isEqualTo("event: delta");
        assertThat(firstData).startsWith("data: ");
        assertThat(rest).anyMatch(l -> l.equals("event: done"));
    }

    @Test
    void aProviderFailureIsAnErrorNamingTheProviderAndAppendsNothing() {
        api.createSession("{\"id\": \"chat-fail\"}");
        openai.replyProviderError(400, "invalid_request_error", "bad things");
        openai.replyRateLimited(7);
        openai.replyProviderError(500, "server_error", "down");

        TestServer.Response bad = api.post("/v1/sessions/chat-fail/chat").json("{\"content\": \"x\"}").send();
        TestServer.Response limited = api.post("/v1/sessions/chat-fail/chat").json("{\"content\": \"x\"}").send();
        TestServer.Response streamed = api.post("/v1/sessions/chat-fail/chat").json("{\"content\": \"x\", \"stream\": true}").send();

        assertThat(bad.status()).isEqualTo(502);
        assertThat(bad.json().at("/error/provider").asString()).isEqualTo("openai");
        assertThat(bad.json().at("/error/requestId").asString()).isEqualTo(bad.header("X-Request-Id"));
        assertThat(limited.status()).isEqualTo(503);
        assertThat(limited.header("Retry-After")).isEqualTo("7");
        assertThat(streamed.status()).isEqualTo(503);
        assertThat(streamed.errorCode()).isEqualTo("model_unavailable");
        assertThat(messageCount("chat-fail")).isZero();
    }

    @Test
    void aTurnOverTheSessionsBudgetIsRefusedBeforeTheModelIsCalled() {
        api.createSession("{\"id\": \"chat-budget\", \"quota\": {\"tokenBudget\": 50}}");
        int before = openai.requests().size();

        TestServer.Response r = api.post("/v1/sessions/chat-budget/chat").json("{\"content\": \"hello\"}").send();

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorCode()).isEqualTo("budget_exceeded");
        assertThat(r.json().at("/error/available").asLong()).isEqualTo(50);
        assertThat(openai.requests()).hasSize(before);
    }

    @Test
    void aRetriedTurnWithTheSameKeyIsReplayedWithoutCallingTheModelAgain() {
        api.createSession("{\"id\": \"chat-idem\"}");
        openai.replyText("only once");
        int before = openai.requests().size();

        TestServer.Response first = api.post("/v1/sessions/chat-idem/chat").header("Idempotency-Key", "turn-1")
                .json("{\"content\": \"hi\"}").send();
        TestServer.Response retry = api.post("/v1/sessions/chat-idem/chat").header("Idempotency-Key", "turn-1")
                .json("{\"content\": \"hi\"}").send();
        TestServer.Response other = api.post("/v1/sessions/chat-idem/chat").header("Idempotency-Key", "turn-1")
                .json("{\"content\": \"bye\"}").send();

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(retry.json().at("/reply/content").asString()).isEqualTo("only once");
        assertThat(other.status()).isEqualTo(422);
        assertThat(openai.requests()).hasSize(before + 1);
        assertThat(messageCount("chat-idem")).isEqualTo(2);
    }

    @Test
    void anUnknownProviderOrBadParametersAreRefusedByName() {
        api.createSession("{\"id\": \"chat-bad\"}");

        TestServer.Response provider = api.post("/v1/sessions/chat-bad/chat").json("{\"content\": \"x\", \"provider\": \"anthropic\"}")
                .send();
        TestServer.Response params = api.post("/v1/sessions/chat-bad/chat").json("{\"content\": \"x\", \"params\": {\"topP\": 3}}")
                .send();
        TestServer.Response missing = api.post("/v1/sessions/chat-bad/chat").json("{}").send();

        assertThat(provider.status()).isEqualTo(400);
        assertThat(provider.json().at("/error/message").asString()).contains("not configured");
        assertThat(params.json().at("/error/field").asString()).isEqualTo("topP");
        assertThat(missing.json().at("/error/field").asString()).isEqualTo("content");
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIsAGatewayTimeout() {
        try (TestServer impatient = TestServer.start(Map.of(), b -> b.model("openai", OpenAiChatModel.builder()
                .baseUrl(openai.baseUrl()).apiKey("sk-test").defaultModel("gpt-4o-mini").maxRetries(0)
                .timeout(java.time.Duration.ofMillis(200)).build()))) {
            impatient.createSession("{\"id\": \"chat-timeout\"}");
            openai.replySlow(java.time.Duration.ofSeconds(1));

            TestServer.Response r = impatient.post("/v1/sessions/chat-timeout/chat").json("{\"content\": \"x\"}").send();

            assertThat(r.status()).isEqualTo(504);
            assertThat(r.errorCode()).isEqualTo("model_timeout");
            assertThat(impatient.get("/v1/sessions/chat-timeout/messages").send().json().get("items").size()).isZero();
        }
    }

    @Test
    void withoutAnyProviderConfiguredChatSaysHowToConfigureOne() {
        try (TestServer bare = TestServer.start()) {
            bare.createSession("{\"id\": \"no-provider\"}");

            TestServer.Response r = bare.post("/v1/sessions/no-provider/chat").json("{\"content\": \"x\"}").send();

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.errorCode()).isEqualTo("no_provider");
            assertThat(r.json().at("/error/message").asString()).contains("OPENAI_API_KEY");
        }
    }
}
