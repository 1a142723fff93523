package dev.parley.cli.scale;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The REST API as the scale-out clients call it: JSON over one shared HTTP/1.1 client, with the test's API key. */
final class Http {
    /** A bound on one request against a stuck server, not a measurement: a healthy answer takes milliseconds. */
    private static final Duration REQUEST_BOUND = Duration.ofSeconds(30);

    /** One answer: its status, its body, its headers. */
    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            return ParleyJson.parse(body, "response body");
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The {@code error.code} of an error answer, or {@code ""} when the body names none. */
        String errorCode() {
            JsonNode error = json().get("error");
            return error == null || error.get("code") == null ? "" : error.get("code").asString();
        }

        /** The session version in the ETag header. */
        long etag() {
            String tag = header("ETag").orElseThrow(() -> new IllegalStateException("no ETag in an answer with status " + status));
            return Long.parseLong(tag.replace("\"", ""));
        }

        /** The entries of an append's answer, in order. */
        List<Stored> entries() {
            List<Stored> out = new ArrayList<>();
            for (JsonNode entry : json().get("entries")) {
                out.add(Stored.of(entry));
            }
            return out;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A message entry as the API shows it. */
    record Stored(long id, Long parent, String content) {
        static Stored of(JsonNode entry) {
            JsonNode parent = entry.get("parent");
            return new Stored(entry.get("id").asLong(), parent == null || parent.isNull() ? null : parent.asLong(),
                    entry.get("content").asString());
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String apiKey;

    Http(String apiKey) {
        this.apiKey = apiKey;
    }

    Response post(String server, String path, String json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(server, path).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request);
    }

    Response get(String server, String path) throws IOException, InterruptedException {
        return send(request(server, path).GET());
    }

    /** A GET without credentials and with a short bound, for probing whether a server is up yet. */
    int probe(String server, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(2)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(String server, String path) {
        return HttpRequest.newBuilder(URI.create(server + path)).timeout(REQUEST_BOUND).header("Authorization", "Bearer " + apiKey);
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers());
    }
}
