package dev.parley.bench.load;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The requests of the load run, built the way any HTTP client of Parley's REST API would build them. A request is
 * immutable, so each client builds its append once and sends it again and again: the generator's own cost per request
 * stays as small as {@code java.net.http} allows.
 */
final class ApiCalls {
    /** A bound on a request that hangs, not a measurement: the run reports it as an error. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final String apiKey;

    ApiCalls(String url, String apiKey) {
        this.url = url;
        this.apiKey = apiKey;
    }

    /** An HTTP/1.1 client whose work runs on virtual threads; each keeps a pool of connections. */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** Creates a session of user {@code bench} and returns its id. */
    String createSession(HttpClient http) throws IOException, InterruptedException {
        HttpRequest request = post("/v1/sessions", ParleyJson.write(ParleyJson.object().put("userId", "bench"))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("creating a session answered " + response.statusCode() + ": " + response.body());
        }
        return ParleyJson.parse(response.body(), "the created session").get("id").asString();
    }

    /** {@code POST /v1/sessions/{id}/messages} of one user message of {@code content}. */
    HttpRequest append(String sessionId, String content) {
        return post("/v1/sessions/" + sessionId + "/messages", appendBody(content)).build();
    }

    /** A JSON POST as any HTTP client would send it: where, with which headers, and the body's bytes. */
    record Post(URI uri, Map<String, String> headers, byte[] body) {
    }

    /** The same append as {@link #append}, for a client other than {@code java.net.http}. */
    Post appendPost(String sessionId, String content) {
        return new Post(URI.create(url + "/v1/sessions/" + sessionId + "/messages"),
                Map.of("Authorization", "Bearer " + apiKey, "Content-Type", "application/json"),
                appendBody(content).getBytes(StandardCharsets.UTF_8));
    }

    private static String appendBody(String content) {
        return ParleyJson.write(ParleyJson.object().put("role", "user").put("content", content));
    }

    /** {@code POST /v1/chat/completions} through the gateway, the conversation kept in {@code sessionId}. */
    HttpRequest gateway(String sessionId, String body) {
        return post("/v1/chat/completions", body).header("X-Parley-Session", sessionId).build();
    }

    /** The same request sent straight to the OpenAI upstream at {@code baseUrl}, with its own key. */
    static HttpRequest direct(String baseUrl, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + FixedUpstream.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** An OpenAI chat completion request carrying only the newest user message (the session holds the rest). */
    static String completionBody(String content) {
        return completionBody(List.of(new ChatLine("user", content)));
    }

    /** One message of an OpenAI conversation: its role and its text. */
    record ChatLine(String role, String content) {
    }

    /** An OpenAI {@code chat.completions} request carrying {@code messages}, oldest first. */
    static String completionBody(List<ChatLine> messages) {
        ObjectNode body = ParleyJson.object().put("model", "gpt-4o-mini");
        ArrayNode array = body.putArray("messages");
        messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
        return ParleyJson.write(body);
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }
}
