package dev.parley.server;

import dev.parley.json.ParleyJson;
import dev.parley.testing.MutableClock;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A server on an ephemeral port with an in-memory store, a clock tests move, a known admin key and rate limits off
 * (unless a test sets them), plus a small HTTP client for calling it exactly as any client would.
 */
final class TestServer implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key-0123456789";

    final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    final ParleyServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Map<String, String> settings, Consumer<ParleyServer.Builder> customize) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("port", "0", "store", "memory:", "apiKey", ADMIN_KEY,
                "rateLimit", "0", "sweepInterval", "0", "shutdownGrace", "5"));
        all.putAll(settings);
        ParleyServer.Builder builder = ParleyServer.builder().config(ServerConfig.load(null, Map.of(), all)).clock(clock)
                .environment(Map.of());
        customize.accept(builder);
        this.server = builder.start();
    }

    static TestServer start() {
        return new TestServer(Map.of(), b -> { });
    }

    static TestServer start(Map<String, String> settings) {
        return new TestServer(settings, b -> { });
    }

    static TestServer start(Map<String, String> settings, Consumer<ParleyServer.Builder> customize) {
        return new TestServer(settings, customize);
    }

    Request get(String path) {
        return new Request("GET", path);
    }

    Request post(String path) {
        return new Request("POST", path);
    }

    Request patch(String path) {
        return new Request("PATCH", path);
    }

    Request delete(String path) {
        return new Request("DELETE", path);
    }

    /** Creates a session with this JSON (as the admin key's tenant) and returns its id. */
    String createSession(String json) {
        Response created = post("/v1/sessions").json(json).send();
        if (created.status() != 201) {
            throw new AssertionError("create failed: " + created.status() + " " + created.body());
        }
        return created.json().get("id").stringValue();
    }

    /** Creates an API key of {@code tenant} through the admin endpoint and returns the key itself. */
    String keyFor(String tenant) {
        Response created = post("/v1/admin/keys").json("{\"tenant\":\"" + tenant + "\"}").send();
        if (created.status() != 201) {
            throw new AssertionError("key creation failed: " + created.status() + " " + created.body());
        }
        return created.json().get("key").stringValue();
    }

    @Override
    public void close() {
        server.close();
    }

    /** One request; the admin key is sent unless {@link #key} or {@link #anonymous} says otherwise. */
    final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private String credential = ADMIN_KEY;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Request key(String value) {
            this.credential = value;
            return this;
        }

        Request anonymous() {
            this.credential = null;
            return this;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request json(String text) {
            headers.put("Content-Type", "application/json");
            this.body = HttpRequest.BodyPublishers.ofString(text);
            return this;
        }

        Request bytes(byte[] data) {
            this.body = HttpRequest.BodyPublishers.ofByteArray(data);
            return this;
        }

        HttpRequest build() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path)).method(method, body)
                    .timeout(Duration.ofSeconds(30));
            if (credential != null) {
                builder.header("Authorization", "Bearer " + credential);
            }
            headers.forEach(builder::header);
            return builder.build();
        }

        Response send() {
            try {
                HttpResponse<String> response = client.send(build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.headers().map(), response.body());
            } catch (IOException e) {
                throw new AssertionError("request failed: " + method + " " + path, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A response as received. */
    record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            return ParleyJson.parse(body, "response body");
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().getFirst()).orElse(null);
        }

        String errorCode() {
            return json().at("/error/code").asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
