package dev.parley.server;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What OpenAI's Python SDK puts on the wire, written out with {@code java.net.http}: {@code OpenAI(base_url=…, api_key=…,
 * default_headers={"X-Parley-Session": …})} and {@code client.chat.completions.create(…)}. Its headers, its body
 * (messages first, the assistant messages it returned echoed back with {@code refusal: null}), and its reading of a
 * stream ({@code data:} lines until {@code [DONE]}, an {@code error} object raising).
 */
final class OpenAiSdkClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;
    private final Map<String, String> defaultHeaders;

    OpenAiSdkClient(String baseUrl, String apiKey, Map<String, String> defaultHeaders) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.defaultHeaders = new LinkedHashMap<>(defaultHeaders);
    }

    /** A copy of this client with one more default header (the SDK's {@code with_options(default_headers=…)}). */
    OpenAiSdkClient withHeader(String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        headers.put(name, value);
        return new OpenAiSdkClient(baseUrl, apiKey, headers);
    }

    /** A conversation as the SDK's users keep it: a list of message dicts they append to. */
    static final class Conversation {
        final ArrayNode messages = ParleyJson.mapper().createArrayNode();

        Conversation system(String text) {
            messages.addObject().put("role", "system").put("content", text);
            return this;
        }

        Conversation user(String text) {
            messages.addObject().put("role", "user").put("content", text);
            return this;
        }

        Conversation tool(String callId, String content) {
            messages.addObject().put("role", "tool").put("tool_call_id", callId).put("content", content);
            return this;
        }

        /** {@code messages.append(response.choices[0].message)}: the SDK serialises the fields the response set. */
        Conversation append(JsonNode completion) {
            messages.add(completion.at("/choices/0/message").deepCopy());
            return this;
        }
    }

    /** {@code client.chat.completions.create(model=…, messages=…)} with optional extra parameters. */
    ObjectNode body(String model, Conversation conversation) {
        ObjectNode body = ParleyJson.object();
        body.set("messages", conversation.messages.deepCopy());
        body.put("model", model);
        return body;
    }

    Response create(ObjectNode body) {
        try {
            HttpResponse<String> r = http.send(request("/chat/completions", body), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code client.models.list()}. */
    Response models() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + "/models")).GET().timeout(Duration.ofSeconds(30));
        headers(builder);
        try {
            HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code create(…, stream=True)}: the chunks in order, read as the SDK reads them. */
    Stream stream(ObjectNode body) {
        body.put("stream", true);
        try {
            HttpResponse<InputStream> r = http.send(request("/chat/completions", body), HttpResponse.BodyHandlers.ofInputStream());
            List<JsonNode> chunks = new ArrayList<>();
            boolean done = false;
            JsonNode error = null;
            StringBuilder raw = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    raw.append(line).append('\n');
                    if (!line.startsWith("data: ") || r.statusCode() != 200) {
                        continue;
                    }
                    String data = line.substring(6);
                    if (data.equals("[DONE]")) {
                        done = true;
                        break;
                    }
                    JsonNode chunk = ParleyJson.parse(data, "chunk");
                    if (chunk.has("error")) {
                        error = chunk.get("error");
                        break;
                    }
                    chunks.add(chunk);
                }
            }
            return new Stream(r.statusCode(), r.headers().map(), chunks, done, error, raw.toString());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpRequest request(String path, ObjectNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(ParleyJson.write(body)))
                .header("Content-Type", "application/json");
        headers(builder);
        return builder.build();
    }

    private void headers(HttpRequest.Builder builder) {
        builder.header("Accept", "application/json").header("User-Agent", "OpenAI/Python 1.54.4")
                .header("X-Stainless-Lang", "python").header("X-Stainless-Package-Version", "1.54.4")
                .header("X-Stainless-Runtime", "CPython").header("X-Stainless-Async", "false")
                .header("x-stainless-retry-count", "0").header("Authorization", "Bearer " + apiKey);
        defaultHeaders.forEach(builder::header);
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return ParleyJson.parse(body, "response body");
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().getFirst()).orElse(null);
        }

        String content() {
            return json().at("/choices/0/message/content").asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A read stream: the chunks before {@code [DONE]} (or the error that ended it). */
    record Stream(int status, Map<String, List<String>> headers, List<JsonNode> chunks, boolean done, JsonNode error,
                  String raw) {
        /** The content deltas joined, as the SDK's users accumulate them. */
        String text() {
            StringBuilder out = new StringBuilder();
            for (JsonNode chunk : chunks) {
                JsonNode content = chunk.at("/choices/0/delta/content");
                if (content.isString()) {
                    out.append(content.stringValue());
                }
            }
            return out.toString();
        }

        String finishReason() {
            for (JsonNode chunk : chunks) {
                JsonNode reason = chunk.at("/choices/0/finish_reason");
                if (reason.isString()) {
                    return reason.stringValue();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }
}
