package dev.parley.server;

import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.ScriptedReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI-compatible gateway in front of a fake OpenAI upstream, called the way OpenAI's SDKs call it. */
class GatewayApiTest {
    private static final String MODEL = "gpt-4o-mini";
    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "weather", "description": "Weather in a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]""";

    private static FakeOpenAiServer upstream;
    private static TestServer api;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-upstream");
        api = TestServer.start(Map.of(), b -> b.environment(Map.of("OPENAI_API_KEY", "sk-upstream",
                "OPENAI_BASE_URL", upstream.baseUrl())));
    }

    @AfterAll
    static void stop() {
        api.close();
        upstream.close();
    }

    private static OpenAiSdkClient sdk(String session) {
        return new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of("X-Parley-Session", session));
    }

    /** The session's messages as (role, content) lines, through the REST API. */
    private static List<String> stored(String session) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : api.get("/v1/sessions/" + session + "/messages").send().json().get("items")) {
            out.add(m.get("role").asString() + ": " + m.get("content").asString());
        }
        return out;
    }

    private static List<String> sentUpstream() {
        List<String> out = new ArrayList<>();
        for (JsonNode m : upstream.lastRequest().json().get("messages")) {
            out.add(m.get("role").asString() + ": " + m.path("content").asString(""));
        }
        return out;
    }

    @Test
    void aFullHistoryClientsTurnsAreEachStoredOnceAndItsSystemPromptIsUsedButNotStored() {
        OpenAiSdkClient client = sdk("full-history").withHeader("X-Parley-User", "ann");
        OpenAiSdkClient.Conversation chat = new OpenAiSdkClient.Conversation().system("Be terse.").user("Hi, I am Ann.");
        upstream.replyText("Hello Ann.").usage(20, 3);

        OpenAiSdkClient.Response first = client.create(client.body(MODEL, chat));

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        JsonNode completion = first.json();
        assertThat(completion.get("object").asString()).isEqualTo("chat.completion");
        assertThat(completion.get("id").asString()).startsWith("chatcmpl-");
        assertThat(completion.get("model").asString()).isEqualTo(MODEL);
        assertThat(completion.at("/choices/0/message/role").asString()).isEqualTo("assistant");
        assertThat(first.content()).isEqualTo("Hello Ann.");
        assertThat(completion.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(20);
        assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(23);
        assertThat(first.header("X-Parley-Reconciled")).isEqualTo("delta");
        assertThat(upstream.lastRequest().header("authorization")).contains("Bearer sk-upstream");

        chat.append(completion).user("What is my name?");
        upstream.replyText("Ann.");
        OpenAiSdkClient.Response second = client.create(client.body(MODEL, chat));

        assertThat(second.content()).isEqualTo("Ann.");
        assertThat(second.header("X-Parley-Reconciled")).isEqualTo("append");
        assertThat(sentUpstream()).containsExactly("system: Be terse.", "user: Hi, I am Ann.", "assistant: Hello Ann.",
                "user: What is my name?");
        assertThat(stored("full-history")).containsExactly("user: Hi, I am Ann.", "assistant: Hello Ann.",
                "user: What is my name?", "assistant: Ann.");
        assertThat(api.get("/v1/sessions/full-history").send().json().get("userId").asString()).isEqualTo("ann");
    }

    /**
     * One call of a client that keeps the whole conversation: the upstream answers {@code reply}, and an answered call's
     * reply is appended to {@code chat}, as SDK users append {@code response.choices[0].message}.
     */
    private static OpenAiSdkClient.Response turn(OpenAiSdkClient client, OpenAiSdkClient.Conversation chat, String reply) {
        upstream.replyText(reply);
        OpenAiSdkClient.Response response = client.create(client.body(MODEL, chat));
        if (response.status() == 200) {
            chat.append(response.json());
        }
        return response;
    }

    @Test
    void aSessionDeletedAndStartedAgainUnderItsNameIsLinedUpWithItsOwnMessagesNotTheOldOnes() {
        // The test clock stands still, so the new session has the old one's creation time and entry numbers: only the
        // messages themselves tell the two apart.
        OpenAiSdkClient client = sdk("reborn");
        OpenAiSdkClient.Conversation ann = new OpenAiSdkClient.Conversation().user("My name is Ann.");
        turn(client, ann, "Hi Ann.");
        assertThat(turn(client, ann.user("Where do I live?"), "In Oslo.").header("X-Parley-Reconciled")).isEqualTo("append");
        assertThat(api.delete("/v1/sessions/reborn").send().status()).isEqualTo(204);

        OpenAiSdkClient.Conversation bob = new OpenAiSdkClient.Conversation().user("My name is Bob.");
        turn(client, bob, "Hi Bob.");
        OpenAiSdkClient.Response second = turn(client, bob.user("What is my name?"), "Bob.");

        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.header("X-Parley-Reconciled")).isEqualTo("append");
        assertThat(stored("reborn")).containsExactly("user: My name is Bob.", "assistant: Hi Bob.", "user: What is my name?",
                "assistant: Bob.");
    }

    @Test
    void aMessageRedactedAfterTheGatewayLinedItUpStillMatchesTheClientsOwnCopy() {
        OpenAiSdkClient client = sdk("redacted-later");
        OpenAiSdkClient.Conversation chat = new OpenAiSdkClient.Conversation().user("My card is 4111 1111 1111 1111.");
        turn(client, chat, "Noted.");
        turn(client, chat.user("Thanks."), "You are welcome.");
        chat.user("Anything else?");
        long card = 0;
        for (JsonNode m : api.get("/v1/sessions/redacted-later/messages").send().json().get("items")) {
            if (m.path("content").asString("").startsWith("My card")) {
                card = m.get("id").asLong();
            }
        }
        assertThat(api.delete("/v1/sessions/redacted-later/messages/" + card).send().status()).isEqualTo(200);

        OpenAiSdkClient.Response third = turn(client, chat, "No.");

        assertThat(third.status()).as(third.toString()).isEqualTo(200);
        assertThat(third.header("X-Parley-Reconciled")).isEqualTo("append");
        assertThat(stored("redacted-later")).hasSize(6).last().isEqualTo("assistant: No.");
        assertThat(sentUpstream()).doesNotContain("user: My card is 4111 1111 1111 1111.");
    }

    @Test
    void aClientSendingOnlyItsNewestTurnGetsTheWholeStoredContextUpstream() {
        OpenAiSdkClient client = sdk("newest-only");
        upstream.replyText("Noted: blue.");
        upstream.replyText("Blue.");

        client.create(client.body(MODEL, new OpenAiSdkClient.Conversation().user("My favourite colour is blue.")));
        OpenAiSdkClient.Response r = client.create(client.body(MODEL, new OpenAiSdkClient.Conversation()
                .system("Be terse.").user("Which colour do I like?")));

        assertThat(r.content()).isEqualTo("Blue.");
        assertThat(r.header("X-Parley-Reconciled")).isEqualTo("delta");
        assertThat(sentUpstream()).containsExactly("system: Be terse.", "user: My favourite colour is blue.",
                "assistant: Noted: blue.", "user: Which colour do I like?");
        assertThat(stored("newest-only")).hasSize(4);
    }

    @Test
    void anEditedEarlierTurnContinuesFromThereAndKeepsTheOldConversationAsACheckpoint() {
        OpenAiSdkClient client = sdk("edited");
        OpenAiSdkClient.Conversation chat = new OpenAiSdkClient.Conversation().user("Capital of France?");
        upstream.replyText("Paris.");
        chat.append(client.create(client.body(MODEL, chat)).json()).user("Capital of Italy?");
        upstream.replyText("Rome.");
        client.create(client.body(MODEL, chat));

        OpenAiSdkClient.Conversation edited = new OpenAiSdkClient.Conversation().user("Capital of France?");
        edited.messages.addObject().put("role", "assistant").put("content", "Paris.");
        edited.user("Capital of Spain?");
        upstream.replyText("Madrid.");
        OpenAiSdkClient.Response r = client.create(client.body(MODEL, edited));

        assertThat(r.content()).isEqualTo("Madrid.");
        assertThat(r.header("X-Parley-Reconciled")).isEqualTo("edit");
        assertThat(stored("edited")).containsExactly("user: Capital of France?", "assistant: Paris.", "user: Capital of Spain?",
                "assistant: Madrid.");
        assertThat(sentUpstream()).containsExactly("user: Capital of France?", "assistant: Paris.", "user: Capital of Spain?");
        JsonNode checkpoints = api.get("/v1/sessions/edited").send().json().get("checkpoints");
        assertThat(checkpoints.size()).isEqualTo(1);
        assertThat(checkpoints.get(0).get("name").asString()).startsWith("auto/");
    }

    @Test
    void aStreamedReplyArrivesAsOpenAiChunksEndingWithUsageAndDoneAndIsStoredWhole() {
        OpenAiSdkClient client = sdk("streamed");
        upstream.replyText("Lyon lies where the Rhône meets the Saône.").usage(11, 9);
        ObjectNode body = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Where is Lyon?"));
        body.putObject("stream_options").put("include_usage", true);

        OpenAiSdkClient.Stream stream = client.stream(body);

        assertThat(stream.status()).as(stream.toString()).isEqualTo(200);
        assertThat(stream.done()).isTrue();
        assertThat(stream.chunks()).allSatisfy(c -> assertThat(c.get("object").asString()).isEqualTo("chat.completion.chunk"));
        assertThat(stream.chunks().stream().map(c -> c.get("id").asString()).distinct()).hasSize(1);
        assertThat(stream.chunks().getFirst().at("/choices/0/delta/role").asString()).isEqualTo("assistant");
        assertThat(stream.text()).isEqualTo("Lyon lies where the Rhône meets the Saône.");
        assertThat(stream.chunks().size()).isGreaterThan(4);
        assertThat(stream.finishReason()).isEqualTo("stop");
        JsonNode usage = stream.chunks().getLast();
        assertThat(usage.get("choices").size()).isZero();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(9);
        assertThat(upstream.lastRequest().streamed()).isTrue();
        assertThat(stored("streamed")).containsExactly("user: Where is Lyon?", "assistant: Lyon lies where the Rhône meets the Saône.");
    }

    @Test
    void toolCallsPassThroughToTheClientWhichSendsTheResultsBack() {
        OpenAiSdkClient client = sdk("tools");
        OpenAiSdkClient.Conversation chat = new OpenAiSdkClient.Conversation().user("Weather in Lyon?");
        upstream.replyToolCalls(new Part.ToolCall("call_7", "weather", "{\"city\":\"Lyon\"}"));
        ObjectNode body = client.body(MODEL, chat);
        body.set("tools", ParleyJson.parse(TOOLS, "tools"));

        OpenAiSdkClient.Response asked = client.create(body);

        assertThat(asked.status()).as(asked.toString()).isEqualTo(200);
        JsonNode message = asked.json().at("/choices/0/message");
        assertThat(message.get("content").isNull()).isTrue();
        assertThat(message.at("/tool_calls/0/id").asString()).isEqualTo("call_7");
        assertThat(message.at("/tool_calls/0/type").asString()).isEqualTo("function");
        assertThat(message.at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
        assertThat(message.at("/tool_calls/0/function/arguments").asString()).isEqualTo("{\"city\":\"Lyon\"}");
        assertThat(asked.json().at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(upstream.lastRequest().json().at("/tools/0/function/name").asString()).isEqualTo("weather");

        chat.append(asked.json()).tool("call_7", "sunny, 24 C");
        upstream.replyText("Sunny and 24 °C.");
        ObjectNode next = client.body(MODEL, chat);
        next.set("tools", ParleyJson.parse(TOOLS, "tools"));
        OpenAiSdkClient.Response answered = client.create(next);

        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        assertThat(answered.content()).isEqualTo("Sunny and 24 °C.");
        assertThat(answered.header("X-Parley-Reconciled")).isEqualTo("append");
        JsonNode sent = upstream.lastRequest().json().get("messages");
        assertThat(sent.get(1).at("/tool_calls/0/id").asString()).isEqualTo("call_7");
        assertThat(sent.get(2).get("role").asString()).isEqualTo("tool");
        assertThat(sent.get(2).get("tool_call_id").asString()).isEqualTo("call_7");
        assertThat(stored("tools")).extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("user", "assistant", "tool", "assistant");
    }

    @Test
    void aStreamedToolCallArrivesWholeInOneChunk() {
        OpenAiSdkClient client = sdk("streamed-tools");
        upstream.replyToolCalls(new Part.ToolCall("call_s", "weather", "{\"city\":\"Oslo\"}"));
        ObjectNode body = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Weather in Oslo?"));
        body.set("tools", ParleyJson.parse(TOOLS, "tools"));

        OpenAiSdkClient.Stream stream = client.stream(body);

        assertThat(stream.done()).as(stream.toString()).isTrue();
        JsonNode call = stream.chunks().stream().map(c -> c.at("/choices/0/delta/tool_calls/0")).filter(JsonNode::isObject)
                .findFirst().orElseThrow();
        assertThat(call.get("index").asInt()).isZero();
        assertThat(call.at("/function/arguments").asString()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(stream.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void aStreamThatFailsBeforeItsFirstTextIsAnOrdinaryErrorAndAppendsNothing() {
        OpenAiSdkClient client = sdk("stream-refused");
        upstream.replyProviderError(400, "invalid_request_error", "bad things");

        OpenAiSdkClient.Stream stream = client.stream(client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hello?")));

        assertThat(stream.status()).as(stream.toString()).isEqualTo(502);
        assertThat(ParleyJson.parse(stream.raw(), "error").at("/error/code").asString()).isEqualTo("model_bad_request");
        assertThat(stream.done()).isFalse();
        assertThat(stored("stream-refused")).isEmpty();
    }

    @Test
    void aStreamWhoseTurnFailsAfterItsTextEndsWithAnErrorEventInsteadOfDoneAndAppendsNothing() throws Exception {
        api.createSession("{\"id\": \"stream-overtaken\"}");
        ScriptedReply.Gate gate = upstream.replyText("first then rest").pauseAfterFirstChunk();
        ObjectNode body = sdk("stream-overtaken").body(MODEL, new OpenAiSdkClient.Conversation().user("Go"));
        body.put("stream", true);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.server.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).header("Content-Type", "application/json")
                .header("X-Parley-Session", "stream-overtaken").POST(HttpRequest.BodyPublishers.ofString(ParleyJson.write(body))).build();

        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = response.body().iterator();
        String line = lines.next();
        while (!line.contains("\"content\":\"first\"")) {
            line = lines.next();
        }
        // Another write lands on the branch while the reply is still streaming: the turn cannot be appended.
        assertThat(api.post("/v1/sessions/stream-overtaken/messages").json("{\"role\": \"user\", \"content\": \"meanwhile\"}")
                .send().status()).isEqualTo(201);
        gate.open();
        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = rest.stream().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data).doesNotContain("[DONE]");
        assertThat(ParleyJson.parse(data.getLast(), "event").at("/error/code").asString()).isEqualTo("head_conflict");
        assertThat(stored("stream-overtaken")).containsExactly("user: meanwhile");
    }

    @Test
    void messagesThatDoNotContinueTheSessionAreAConflictAndAppendNothing() {
        OpenAiSdkClient client = sdk("mismatch");
        upstream.replyText("One.");
        client.create(client.body(MODEL, new OpenAiSdkClient.Conversation().user("Count with me.")));

        OpenAiSdkClient.Conversation other = new OpenAiSdkClient.Conversation().user("Something else");
        other.messages.addObject().put("role", "assistant").put("content", "never said");
        other.user("Go on");
        OpenAiSdkClient.Response r = client.create(client.body(MODEL, other));

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.json().at("/error/code").asString()).isEqualTo("history_mismatch");
        assertThat(stored("mismatch")).hasSize(2);

        upstream.replyText("Noted.");
        OpenAiSdkClient.Response delta = client.withHeader("X-Parley-History", "delta").create(client.body(MODEL, other));
        assertThat(delta.status()).as(delta.toString()).isEqualTo(200);
        assertThat(stored("mismatch")).containsExactly("user: Count with me.", "assistant: One.", "user: Something else",
                "assistant: never said", "user: Go on", "assistant: Noted.");
    }

    @Test
    void moreThanOneChoiceIsRefusedInASession() {
        OpenAiSdkClient client = sdk("two-choices");
        ObjectNode body = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        body.put("n", 2);

        OpenAiSdkClient.Response r = client.create(body);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asString()).contains("n must be 1");
        assertThat(api.get("/v1/sessions/two-choices").send().status()).isEqualTo(404);
    }

    @Test
    void aMessageWithoutContentOrAParameterOutOfRangeIsRefusedByItsOpenAiName() {
        OpenAiSdkClient client = sdk("refused");
        ObjectNode noContent = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        ((ObjectNode) noContent.get("messages").get(0)).remove("content");
        ObjectNode topP = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        topP.put("top_p", 7);
        ObjectNode maxTokens = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        maxTokens.put("max_completion_tokens", 0);

        OpenAiSdkClient.Response missing = client.create(noContent);
        OpenAiSdkClient.Response badTopP = client.create(topP);
        OpenAiSdkClient.Response badMax = client.create(maxTokens);

        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.json().at("/error/field").asString()).isEqualTo("messages[0].content");
        assertThat(missing.json().at("/error/message").asString()).isEqualTo("messages[0].content is required");
        assertThat(badTopP.json().at("/error/field").asString()).isEqualTo("top_p");
        assertThat(badTopP.json().at("/error/message").asString()).isEqualTo("top_p must be between 0.0 and 1.0: 7.0");
        assertThat(badMax.json().at("/error/field").asString()).isEqualTo("max_completion_tokens");
        ObjectNode blankCallId = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        ObjectNode call = ((ObjectNode) blankCallId.get("messages").get(0)).put("role", "assistant")
                .putArray("tool_calls").addObject().put("id", " ").put("type", "function");
        call.putObject("function").put("name", "lookup").put("arguments", "{}");
        OpenAiSdkClient.Response badCall = client.create(blankCallId);
        assertThat(badCall.json().at("/error/field").asString()).isEqualTo("messages[0].tool_calls[0].id");
        assertThat(badCall.json().at("/error/message").asString()).isEqualTo("messages[0].tool_calls[0].id must not be blank");
        assertThat(upstream.requests()).isEmpty();
        assertThat(api.get("/v1/sessions/refused").send().status()).isEqualTo(404);
    }

    @Test
    void withoutASessionTheGatewayIsAPlainProxyThatStoresNothing() {
        OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of());
        upstream.replyText("Proxied.");
        ObjectNode body = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        body.put("seed", 7).putObject("response_format").put("type", "text");
        int sessions = api.get("/v1/sessions").send().json().get("items").size();

        OpenAiSdkClient.Response r = client.create(body);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.content()).isEqualTo("Proxied.");
        assertThat(upstream.lastRequest().json()).isEqualTo(body);
        assertThat(upstream.lastRequest().header("authorization")).contains("Bearer sk-upstream");
        assertThat(api.get("/v1/sessions").send().json().get("items").size()).isEqualTo(sessions);
    }

    @Test
    void withoutASessionAStreamIsPassedThroughAsTheUpstreamSendsIt() {
        OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of());
        upstream.replyText("Streamed straight through.");
        ObjectNode body = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        body.putObject("stream_options").put("include_usage", true);

        OpenAiSdkClient.Stream stream = client.stream(body);

        assertThat(stream.status()).as(stream.toString()).isEqualTo(200);
        assertThat(stream.done()).isTrue();
        assertThat(stream.text()).isEqualTo("Streamed straight through.");
        assertThat(upstream.lastRequest().json().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(stream.chunks().getLast().at("/usage/total_tokens").isNumber()).isTrue();
    }

    @Test
    void theGatewayNeedsCredentialsAndASessionTokenOpensOnlyItsOwnSession() {
        OpenAiSdkClient anonymous = new OpenAiSdkClient(api.server.url() + "/v1", "", Map.of("X-Parley-Session", "guarded"));
        assertThat(anonymous.create(anonymous.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"))).status()).isEqualTo(401);

        api.createSession("{\"id\": \"guarded\"}");
        String token = api.post("/v1/sessions/guarded/tokens").json("{}").send().json().get("token").asString();
        OpenAiSdkClient own = new OpenAiSdkClient(api.server.url() + "/v1", token, Map.of("X-Parley-Session", "guarded"));
        upstream.replyText("Welcome.");
        assertThat(own.create(own.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"))).status()).isEqualTo(200);

        OpenAiSdkClient elsewhere = new OpenAiSdkClient(api.server.url() + "/v1", token, Map.of("X-Parley-Session", "other"));
        OpenAiSdkClient.Response r = elsewhere.create(elsewhere.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi")));
        assertThat(r.status()).isEqualTo(403);
        OpenAiSdkClient noSession = new OpenAiSdkClient(api.server.url() + "/v1", token, Map.of());
        assertThat(noSession.create(noSession.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"))).status()).isEqualTo(403);
    }

    @Test
    void fieldsTheGatewayCannotHonourInASessionAreNamedInAHeader() {
        OpenAiSdkClient client = sdk("ignored-fields");
        upstream.replyText("Fine.");
        ObjectNode body = client.body(MODEL, new OpenAiSdkClient.Conversation().user("Hi"));
        body.put("seed", 1).put("user", "end-user-9");

        OpenAiSdkClient.Response r = client.create(body);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("X-Parley-Ignored")).isEqualTo("seed, user");
        assertThat(upstream.lastRequest().json().has("seed")).isFalse();
    }

    @Test
    void theGatewayIsInTheApiDescription() {
        JsonNode paths = api.get("/openapi.json").anonymous().send().json().get("paths");
        assertThat(paths.has("/v1/chat/completions")).isTrue();
        assertThat(paths.at("/~1v1~1chat~1completions/post/x-parley-access").asString()).isEqualTo("gateway");
        assertThat(paths.has("/v1/models")).isTrue();
    }
}
