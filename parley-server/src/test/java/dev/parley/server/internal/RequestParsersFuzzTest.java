package dev.parley.server.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.json.ParleyJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the parsers of request bodies: the gateway's {@code chat.completions} request, the REST API's message
 * bodies (one message, and the {@code messages} array), a session's model defaults and the {@code X-Parley-History}
 * header. Bad input must come
 * back as a 4xx naming the field, never as a 500: every parser either returns or throws an exception that
 * {@link ErrorMapper} maps to a 4xx ({@link InvalidInputException}, {@link ApiException}, or — only while the text
 * is being read as JSON — a {@link JacksonException}). A successful parse is checked against the JSON it came from.
 *
 * <p>In a normal build they run in regression mode over the seed inputs in
 * {@code src/test/resources/dev/parley/server/internal/RequestParsersFuzzTestInputs/<method>/}; run
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-server -Dtest=RequestParsersFuzzTest#<method>} to fuzz one method for
 * real (new crashing inputs are written next to the seeds).
 */
class RequestParsersFuzzTest {
    private static final ErrorMapper ERRORS = new ErrorMapper(1 << 20);
    private static final Set<String> HONOURED = Set.of("model", "messages", "tools", "tool_choice", "temperature", "top_p",
            "max_tokens", "max_completion_tokens", "stop", "stream", "stream_options", "n");

    @FuzzTest(maxDuration = "2m")
    void completionRequestParsesOrRefusesWithA400(byte[] input) {
        Body body = readBody(input);
        if (body == null) {
            return;
        }
        JsonNode json = body.node();
        CompletionRequest request;
        try {
            request = CompletionRequest.parse(json);
        } catch (RuntimeException e) {
            assertRefusedAsBadInput(e, json);
            return;
        }
        JsonNode sent = json.get("messages");
        assertThat(request.instructions().size() + request.messages().size()).as("every message kept: %s", json)
                .isEqualTo(sent.size());
        assertThat(request.messages()).isNotEmpty();
        assertThat(request.instructions()).allSatisfy(m -> assertThat(m.role()).isEqualTo(Role.SYSTEM));
        assertThat(request.messages().getFirst().role()).isNotEqualTo(Role.SYSTEM);
        List<Message> all = new ArrayList<>(request.instructions());
        all.addAll(request.messages());
        for (int i = 0; i < all.size(); i++) {
            Message message = all.get(i);
            JsonNode given = sent.get(i);
            assertThat(message.role()).as("messages[%d] of %s", i, json).isEqualTo(openAiRole(given.get("role").stringValue()));
            assertThat(message.name()).isEqualTo(given.hasNonNull("name") ? given.get("name").stringValue() : null);
            if (message.role() == Role.TOOL) {
                assertThat(message.toolResults()).singleElement()
                        .satisfies(r -> assertThat(r.callId()).isEqualTo(given.get("tool_call_id").stringValue()));
            }
            if (given.path("content").isString() && message.role() != Role.TOOL) {
                assertThat(message.parts().getFirst()).isEqualTo(new Part.Text(given.get("content").stringValue()));
            }
            assertThat(message.toolCalls()).hasSize(message.role() == Role.ASSISTANT && given.path("tool_calls").isArray()
                    ? given.get("tool_calls").size() : 0);
        }
        boolean noTools = json.path("tool_choice").isString() && json.get("tool_choice").stringValue().equals("none")
                || !json.path("tools").isArray();
        assertThat(request.tools()).hasSize(noTools ? 0 : json.get("tools").size());
        assertThat(request.n()).isBetween(1, 128).isEqualTo(json.hasNonNull("n") ? json.get("n").intValue() : 1);
        assertThat(request.stream()).isEqualTo(json.hasNonNull("stream") && json.get("stream").booleanValue());
        assertThat(request.model()).isEqualTo(json.hasNonNull("model") ? json.get("model").stringValue() : null);
        assertThat(request.params().temperature())
                .isEqualTo(json.hasNonNull("temperature") ? json.get("temperature").doubleValue() : null);
        for (String field : request.ignored()) {
            assertThat(json.has(field)).as("ignored %s was sent", field).isTrue();
            assertThat(!HONOURED.contains(field) || field.equals("tool_choice")).as("ignored %s", field).isTrue();
        }
        for (String field : json.propertyNames()) {
            assertThat(HONOURED.contains(field) || request.ignored().contains(field)).as("%s honoured or reported", field)
                    .isTrue();
        }
    }

    /** {@code POST /v1/sessions/{id}/messages} with one message, and {@code PUT …/entries/{id}} (an edit). */
    @FuzzTest(maxDuration = "2m")
    void messageBodyParsesOrRefusesWithA400(byte[] input) {
        Body body = readBody(input);
        if (body == null) {
            return;
        }
        Message message;
        try {
            message = MessageBodies.parse(body.only(MessageBodies.FIELDS));
        } catch (RuntimeException e) {
            assertRefusedAsBadInput(e, body.node());
            return;
        }
        assertMatchesItsBody(message, body.node());
    }

    /** {@code {"messages": [...]}}, as appended in a batch or given as a new session's {@code initialPrompts}. */
    @FuzzTest(maxDuration = "2m")
    void messageArrayParsesOrRefusesWithA400(byte[] input) {
        Body body = readBody(input);
        if (body == null) {
            return;
        }
        JsonNode array = body.raw("messages");
        List<Message> messages;
        try {
            messages = MessageBodies.parseAll(array, "messages");
        } catch (RuntimeException e) {
            assertRefusedAsBadInput(e, body.node());
            return;
        }
        assertThat(messages).hasSize(array.size());
        for (int i = 0; i < messages.size(); i++) {
            assertMatchesItsBody(messages.get(i), array.get(i));
        }
    }

    /**
     * A session's {@code "model": {…}} defaults, in create (nulls refused) and in PATCH (null removes). What is kept
     * is stored as text and read back by {@link ModelDefaults#params} on every turn, so it must read back.
     */
    @FuzzTest(maxDuration = "2m")
    void modelDefaultsParseOrRefuseWithA400(byte[] input) {
        Body parsed = readBody(input);
        if (parsed == null) {
            return;
        }
        Body body = Body.of(parsed.node(), "model");
        for (boolean patch : new boolean[] {false, true}) {
            Map<String, String> defaults;
            try {
                defaults = ModelDefaults.read(body, patch);
            } catch (RuntimeException e) {
                assertRefusedAsBadInput(e, body.node());
                continue;
            }
            assertThat(ModelDefaults.KEYS).containsAll(defaults.keySet());
            for (String key : defaults.keySet()) {
                assertThat(body.present(key)).as("%s was sent", key).isTrue();
            }
            Map<String, String> stored = new java.util.HashMap<>(defaults);
            stored.values().removeIf(java.util.Objects::isNull);
            if (!patch) {
                assertThat(stored).as("create keeps no nulls").isEqualTo(defaults);
            }
            var params = ModelDefaults.params(stored);
            if (stored.containsKey("temperature")) {
                assertThat(params.temperature()).isBetween(0.0, 2.0);
            }
            if (stored.containsKey("policy")) {
                assertThat(ModelDefaults.policy(stored.get("policy"))).isNotNull();
            }
            if (stored.containsKey("contextWindow")) {
                assertThat(Long.parseLong(stored.get("contextWindow"))).isBetween(256L, 100_000_000L);
            }
        }
    }

    /** The gateway's {@code X-Parley-History} header (the only thing {@link HistoryRule} reads from a request). */
    @FuzzTest(maxDuration = "1m")
    void historyHeaderParsesOrRefusesWithA400(byte[] input) {
        String header = new String(input, StandardCharsets.UTF_8);
        HistoryRule.Mode mode;
        try {
            mode = HistoryRule.Mode.of(header);
        } catch (RuntimeException e) {
            assertRefusedAsBadInput(e, header);
            return;
        }
        String word = header.strip().toLowerCase(Locale.ROOT);
        HistoryRule.Mode expected = header.isBlank() ? HistoryRule.Mode.AUTO
                : word.equals("delta") ? HistoryRule.Mode.DELTA : word.equals("full") ? HistoryRule.Mode.FULL : null;
        assertThat(mode).as("header '%s'", header).isEqualTo(expected);
    }

    /**
     * The body as the server reads it ({@link Body#required}, minus the Context): bytes as UTF-8, blank refused before
     * parsing. {@code null} when the server refuses the text, after checking that it does so with a 400.
     */
    private static Body readBody(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        try {
            return Body.parse(text);
        } catch (RuntimeException e) {
            assertThat(e).as("reading %s", text).isInstanceOfAny(InvalidInputException.class, JacksonException.class);
            assertThat(ERRORS.map(e).status()).isEqualTo(400);
            return null;
        }
    }

    /**
     * A parser's refusal must be one the API reports as a 4xx about the request. A {@link JacksonException} here would
     * also be a 400, but one saying the body "is not valid JSON" when it was, and naming no field: a bug too.
     */
    private static void assertRefusedAsBadInput(RuntimeException e, Object input) {
        if (!(e instanceof InvalidInputException) && !(e instanceof ApiException)) {
            throw new AssertionError("refused " + input + " with " + e.getClass().getName() + " (a 500 or a misleading 400)", e);
        }
        ErrorMapper.Mapped mapped = ERRORS.map(e);
        assertThat(mapped.status()).as("%s", e).isBetween(400, 499);
        assertThat(mapped.message()).isNotBlank();
        if (e instanceof InvalidInputException i) {
            // Not isNotBlank: a body may have a field named "", and the error then names exactly that.
            assertThat(i.field()).as("%s names its field", e).isNotNull();
        }
    }

    /** The message a Parley body {@code {role, content | parts, name?, toolCallId?, metadata?}} describes. */
    private static void assertMatchesItsBody(Message message, JsonNode given) {
        assertThat(message.role()).isEqualTo(Role.parse(given.get("role").stringValue()));
        assertThat(message.name()).isEqualTo(given.hasNonNull("name") ? given.get("name").stringValue() : null);
        Map<String, String> metadata = given.hasNonNull("metadata")
                ? ParleyJson.stringMap(ParleyJson.write(given.get("metadata")), "metadata") : Map.of();
        assertThat(message.metadata()).isEqualTo(metadata);
        if (given.has("content")) {
            String content = given.get("content").stringValue();
            assertThat(message.parts()).singleElement().isEqualTo(given.hasNonNull("toolCallId")
                    ? new Part.ToolResult(given.get("toolCallId").stringValue(), content, false) : new Part.Text(content));
        } else {
            assertThat(message.parts()).hasSize(given.get("parts").size());
        }
        // Messages are exported in the form the API reads back; the two must agree.
        assertThat(ParleyJson.message(ParleyJson.message(message), "exported")).isEqualTo(message);
    }

    private static Role openAiRole(String name) {
        return switch (name) {
            case "system", "developer" -> Role.SYSTEM;
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "tool" -> Role.TOOL;
            default -> throw new AssertionError("accepted role '" + name + "'");
        };
    }
}
