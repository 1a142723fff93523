package dev.parley.models.testing;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request a fake server received, exactly as it arrived: method, path, headers (names in lower case), the
 * raw body and the body parsed as JSON ({@code null} when it was not JSON).
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, JsonNode json) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Whether the request asked for a streamed reply ({@code "stream": true}). */
    public boolean streamed() {
        return json != null && json.path("stream").asBoolean(false);
    }
}
