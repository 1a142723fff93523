package dev.parley.models.testing;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request a fake server received, exactly as it arrived: method, path, headers (names in lower case), the
 * raw body, the body parsed as JSON ({@code null} when it was not JSON) and the raw query string ({@code null} when
 * there was none).
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, JsonNode json,
                              String query) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** A request without a query string. */
    public RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, JsonNode json) {
        this(method, path, headers, body, json, null);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /**
     * Whether the request asked for a streamed reply: {@code "stream": true} in the body, or Gemini's
     * {@code :streamGenerateContent} endpoint. (Ollama streams also when {@code stream} is absent; its fake knows.)
     */
    public boolean streamed() {
        return path.endsWith(":streamGenerateContent") || json != null && json.path("stream").asBoolean(false);
    }
}
