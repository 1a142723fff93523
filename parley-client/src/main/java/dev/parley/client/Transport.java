package dev.parley.client;

import dev.parley.ParleyException;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * HTTP to one server with one credential. The credential goes only into the {@code Authorization} header: never
 * into a message, an exception or {@link #toString()}.
 */
final class Transport implements AutoCloseable {
    private final HttpClient http;
    private final String base;
    private final String authorization;
    private final Duration requestTimeout;

    Transport(String base, String credential, Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.base = base;
        this.authorization = "Bearer " + credential;
        this.requestTimeout = requestTimeout;
    }

    String base() {
        return base;
    }

    Call get(String path) {
        return new Call("GET", path);
    }

    Call post(String path) {
        return new Call("POST", path);
    }

    Call patch(String path) {
        return new Call("PATCH", path);
    }

    Call delete(String path) {
        return new Call("DELETE", path);
    }

    /** A path segment: ids need no escaping, but nothing a caller passes may change the path's shape. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A branch or checkpoint name, whose slashes ({@code auto/12}, {@code fork/7}) the server's routes take as they are. */
    static String name(String value) {
        return segment(value).replace("%2F", "/");
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "Transport[" + base + "]";
    }

    /** A response as it came. */
    record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            return ParleyJson.parse(body, "the server's response");
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .flatMap(e -> e.getValue().stream().findFirst());
        }

        /** The server's error code ({@code not_found}, {@code entry_not_found} …), if this is an error in the API's shape. */
        Optional<String> errorCode() {
            return Errors.code(body);
        }

        ParleyException error() {
            return Errors.map(status, body, header("Retry-After"));
        }
    }

    /** One request being put together. */
    final class Call {
        private final String method;
        private final String path;
        private final StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Adds a query parameter; a null value is left out. */
        Call query(String name, Object value) {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
            return this;
        }

        /** Adds a header; a null value is left out. */
        Call header(String name, String value) {
            if (value != null) {
                headers.put(name, value);
            }
            return this;
        }

        Call json(JsonNode node) {
            return text(ParleyJson.write(node));
        }

        Call text(String json) {
            headers.put("Content-Type", "application/json");
            this.body = HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
            return this;
        }

        private HttpRequest build(String accept) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path + query)).method(method, body)
                    .timeout(requestTimeout).header("Authorization", authorization).header("Accept", accept);
            headers.forEach(builder::header);
            return builder.build();
        }

        /** Sends it and returns the response, whatever its status. */
        Response exchange() {
            HttpResponse<String> response = Transport.this.send(build("application/json"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        }

        /** Sends it; an error status becomes its exception. */
        Response send() {
            Response response = exchange();
            if (response.status() >= 400) {
                throw response.error();
            }
            return response;
        }

        /** Sends it and reads the answer line by line (server-sent events); an error status becomes its exception. */
        Stream<String> lines() {
            HttpResponse<Stream<String>> response = Transport.this.send(build("text/event-stream"), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() >= 400) {
                String text;
                try (Stream<String> lines = response.body()) {
                    text = String.join("\n", lines.toList());
                }
                throw new Response(response.statusCode(), response.headers().map(), text).error();
            }
            return response.body();
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        String what = request.method() + " " + request.uri().getRawPath();
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new RemoteException(0, "timeout", what + " got no answer from " + base + " within " + requestTimeout
                    + "; a write may or may not have landed (retry it with the same idempotency key)", e);
        } catch (IOException e) {
            throw new RemoteException(0, "unreachable", what + " could not reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(0, "interrupted", what + " was interrupted; a write may or may not have landed", e);
        }
    }
}
