package dev.parley.models.testing;

import dev.parley.json.ParleyJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fakes are strict on their own: raw requests that the real APIs would refuse get the providers' 400s. */
class FakeServersTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    private static HttpResponse<String> post(String url, Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String openAiError(HttpResponse<String> response) {
        return ParleyJson.parse(response.body(), "error").at("/error/message").asString();
    }

    private static String geminiError(HttpResponse<String> response) {
        assertThat(response.statusCode()).isBetween(400, 499);
        return ParleyJson.parse(response.body(), "error").at("/error/message").asString();
    }

    private static String ollamaError(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        return ParleyJson.parse(response.body(), "error").path("error").asString();
    }

    private static String anthropicError(HttpResponse<String> response) {
        JsonNode body = ParleyJson.parse(response.body(), "error");
        assertThat(body.path("type").asString()).isEqualTo("error");
        return body.at("/error/message").asString();
    }

    @Test
    void theOpenAiFakeRefusesWhatOpenAiRefusesAndRecordsEveryRequest() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            String url = server.baseUrl() + "/chat/completions";
            Map<String, String> auth = Map.of("authorization", "Bearer sk-x");

            HttpResponse<String> noKey = post(url, Map.of(), "{}");
            assertThat(noKey.statusCode()).isEqualTo(401);
            assertThat(openAiError(noKey)).startsWith("You didn't provide an API key");

            assertThat(openAiError(post(url, auth, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_k\":3}")))
                    .isEqualTo("Unrecognized request argument supplied: top_k");
            assertThat(openAiError(post(url, auth, "{\"model\":\"m\",\"messages\":[]}"))).contains("Expected an array with minimum length 1");
            assertThat(openAiError(post(url, auth, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"user\",\"content\":\"y\"}]}")))
                    .contains("did not have response messages: c1");
            assertThat(openAiError(post(url, auth, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}"))).contains("at most 4");
            HttpResponse<String> notJson = post(url, auth, "{\"model\": ");
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(openAiError(notJson)).contains("could not parse the JSON body");

            HttpResponse<String> unscripted = post(url, auth, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertThat(unscripted.statusCode()).isEqualTo(500);
            assertThat(openAiError(unscripted)).contains("no scripted reply left for request #7");

            assertThat(server.requests()).hasSize(7);
            assertThat(server.lastRequest().header("Authorization")).contains("Bearer sk-x");
            assertThat(server.lastRequest().json().path("model").asString()).isEqualTo("m");
        }
    }

    @Test
    void theAnthropicFakeRefusesWhatAnthropicRefuses() throws Exception {
        try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
            String url = server.baseUrl() + "/v1/messages";
            Map<String, String> headers = Map.of("x-api-key", "sk-ant", "anthropic-version", "2023-06-01");
            String user = "{\"role\":\"user\",\"content\":\"Hi\"}";

            assertThat(anthropicError(post(url, Map.of("x-api-key", "k"), "{}"))).isEqualTo("anthropic-version: header is required");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"messages\":[" + user + "]}"))).isEqualTo("max_tokens: Field required");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[" + user + "," + user + "]}")))
                    .contains("roles must alternate");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}")))
                    .contains("Input should be 'user' or 'assistant'");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"max_tokens\":5,\"temperature\":1.5,\"messages\":[" + user + "]}")))
                    .contains("temperature");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[" + user + ","
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"ignored\"}]}]}")))
                    .contains("`tool_use` ids were found without `tool_result` blocks immediately after: t1");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[" + user + ","
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\",\"signature\":\"forged\"}]}]}")))
                    .contains("Invalid `signature` in `thinking` block");
            assertThat(anthropicError(post(url, headers, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"}]}]}")))
                    .contains("text content blocks must be non-empty");
            assertThat(server.pendingReplies()).isZero();
        }
    }

    @Test
    void theGeminiFakeRefusesWhatGeminiRefuses() throws Exception {
        try (FakeGeminiServer server = FakeGeminiServer.start()) {
            String url = server.baseUrl() + "/v1beta/models/gemini-2.5-flash:generateContent";
            Map<String, String> key = Map.of("x-goog-api-key", "AIza-test");
            String user = "{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}";
            String call = "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]}";
            String response = "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{\"result\":\"1\"}}}]}";

            HttpResponse<String> noKey = post(url, Map.of(), "{}");
            assertThat(noKey.statusCode()).isEqualTo(403);
            assertThat(geminiError(noKey)).contains("unregistered callers");
            assertThat(geminiError(post(url, key, "{\"contents\":[" + user + "],\"temperature\":1}")))
                    .isEqualTo("Invalid JSON payload received. Unknown name \"temperature\": Cannot find field.");
            assertThat(geminiError(post(url, key, "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}")))
                    .isEqualTo("Please use a valid role: user, model.");
            assertThat(geminiError(post(url, key, "{\"contents\":[" + user + "," + call + "," + user + "]}")))
                    .contains("the number of function response parts is equal to the number of function call parts");
            assertThat(geminiError(post(url, key, "{\"contents\":[" + user + "," + call + "," + response + "]}")))
                    .startsWith("Function call is missing a thought_signature in functionCall parts")
                    .contains("`default_api:f` , position 1");
            assertThat(geminiError(post(url, key, "{\"contents\":[" + user + "," + call.replace("}}]", "},\"thoughtSignature\":\"forged\"}]")
                    + "," + response + "]}"))).contains("Thought signature is not valid");
            assertThat(geminiError(post(url, key, "{\"contents\":[" + user + "],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\","
                    + "\"parameters\":{\"type\":\"object\",\"additionalProperties\":false}}]}]}")))
                    .contains("Unknown name \"additionalProperties\"");
            assertThat(geminiError(post(server.baseUrl() + "/v1beta/models/gemini-2.5-flash:streamGenerateContent", key,
                    "{\"contents\":[" + user + "]}"))).contains("?alt=sse");
            assertThat(post(server.baseUrl() + "/v1/models/gemini-2.5-flash:generateContent", key, "{}").statusCode()).isEqualTo(404);

            server.replyText("accepted");
            HttpResponse<String> valid = post(url, key, "{\"contents\":[" + user + "," + call.replace("}}]",
                    "},\"thoughtSignature\":\"skip_thought_signature_validator\"}]") + "," + response + "]}");
            assertThat(valid.statusCode()).isEqualTo(200);
            assertThat(ParleyJson.parse(valid.body(), "reply").at("/candidates/0/content/parts/0/text").asString()).isEqualTo("accepted");
        }
    }

    @Test
    void theOllamaFakeRefusesWhatOllamaRefusesAndStreamsUnlessToldNotTo() throws Exception {
        try (FakeOllamaServer server = FakeOllamaServer.start()) {
            String url = server.baseUrl() + "/api/chat";
            String user = "{\"role\":\"user\",\"content\":\"Hi\"}";

            assertThat(ollamaError(post(url, Map.of(), "{\"messages\":[" + user + "]}"))).isEqualTo("model is required");
            assertThat(ollamaError(post(url, Map.of(), "{\"model\":\"m\",\"messages\":[" + user + "],\"temperature\":1}")))
                    .isEqualTo("json: unknown field \"temperature\"");
            assertThat(ollamaError(post(url, Map.of(), "{\"model\":\"m\",\"messages\":[" + user + "],\"options\":{\"max_tokens\":5}}")))
                    .isEqualTo("invalid option provided: max_tokens");
            assertThat(ollamaError(post(url, Map.of(), "{\"model\":\"m\",\"messages\":[" + user + ",{\"role\":\"assistant\","
                    + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}")))
                    .contains("cannot unmarshal string into Go struct field ToolCallFunction");
            assertThat(ollamaError(post(url, Map.of(), "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\","
                    + "\"images\":[\"https://example.com/cat.png\"]}]}"))).contains("illegal base64 data");
            assertThat(ollamaError(post(url, Map.of(), "{\"model\":\"m\",\"messages\":[" + user + ",{\"role\":\"tool\","
                    + "\"content\":\"1\",\"tool_name\":\"f\"}]}"))).contains("must follow an assistant message with tool_calls");

            server.replyText("streamed by default");
            HttpResponse<String> streamed = post(url, Map.of(), "{\"model\":\"m\",\"messages\":[" + user + "]}");
            assertThat(streamed.headers().firstValue("content-type")).contains("application/x-ndjson");
            List<String> lines = streamed.body().lines().toList();
            assertThat(lines).hasSizeGreaterThan(2);
            assertThat(ParleyJson.parse(lines.getLast(), "last line").path("done").asBoolean()).isTrue();
            assertThat(server.requests()).hasSize(7);
        }
    }
}
