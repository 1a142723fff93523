package dev.parley.models;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.models.anthropic.AnthropicWire;
import dev.parley.models.gemini.GeminiWire;
import dev.parley.models.internal.Framing;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.SseEvent;
import dev.parley.models.internal.StreamDecoder;
import dev.parley.models.internal.StreamFraming;
import dev.parley.models.ollama.OllamaWire;
import dev.parley.models.openai.OpenAiWire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of everything that reads what a provider sends back: the stream framing, each adapter's reply parser
 * and stream decoder, and each adapter's error mapper. The contract under test is {@link ModelException}'s: a reply
 * that is not the provider's wire format is a {@link ModelException.MalformedResponse} naming the provider, never a
 * NullPointerException, ClassCastException or a record's IllegalArgumentException, and no exception shows the API key.
 * <p>
 * In a normal build they run in regression mode over the seeds in
 * {@code src/test/resources/dev/parley/models/ProviderRepliesFuzzTestInputs/<method>/}; fuzz one method for real with
 * {@code JAZZER_FUZZ=1 ./mvnw test -pl parley-models -Dtest=ProviderRepliesFuzzTest#<method>} (new crashing inputs
 * are written next to the seeds).
 */
class ProviderRepliesFuzzTest {
    /** Seeds echo it in error bodies and replies, as some providers and proxies do, to check it is redacted. */
    private static final String KEY = "sk-fuzz-Zq7Kx9LmP2";
    private static final Secret SECRET = Secret.of(KEY);
    private static final String MODEL = "requested-model";

    private static final ProviderWire OPENAI = OpenAiWire.of("openai", SECRET);
    private static final ProviderWire ANTHROPIC = AnthropicWire.of("anthropic", SECRET);
    private static final ProviderWire GEMINI = GeminiWire.of("gemini", SECRET);
    private static final ProviderWire OLLAMA = OllamaWire.of("ollama", SECRET);

    /**
     * Input: a first byte choosing the framing ({@code J}: JSON lines, anything else: server-sent events) and the
     * chunking, then the body. Network reads end anywhere (inside a CRLF, inside a UTF-8 sequence): the events must
     * be those of the whole body, and those the event-stream specification gives.
     */
    @FuzzTest(maxDuration = "2m")
    void framingGivesTheSameEventsUnderAnyChunking(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        StreamFraming framing = input[0] == 'J' ? StreamFraming.JSON_LINES : StreamFraming.SERVER_SENT_EVENTS;
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        List<SseEvent> whole = events(new ByteArrayInputStream(body), framing);
        List<SseEvent> chunked = events(new ChunkedStream(body, new Random(input[0]), 1 + (input[0] & 0x0f)), framing);
        assertThat(chunked).isEqualTo(whole);
        assertThat(whole).isEqualTo(specified(new String(body, StandardCharsets.UTF_8), framing));
    }

    @FuzzTest(maxDuration = "2m")
    void openAiReplyParsesOrIsMalformed(byte[] input) {
        reply(OPENAI, input);
    }

    @FuzzTest(maxDuration = "2m")
    void openAiStreamDecodesOrIsMalformed(byte[] input) throws IOException {
        stream(OPENAI, input);
    }

    @FuzzTest(maxDuration = "2m")
    void anthropicReplyParsesOrIsMalformed(byte[] input) {
        reply(ANTHROPIC, input);
    }

    @FuzzTest(maxDuration = "2m")
    void anthropicStreamDecodesOrIsMalformed(byte[] input) throws IOException {
        stream(ANTHROPIC, input);
    }

    @FuzzTest(maxDuration = "2m")
    void geminiReplyParsesOrIsMalformed(byte[] input) {
        reply(GEMINI, input);
    }

    @FuzzTest(maxDuration = "2m")
    void geminiStreamDecodesOrIsMalformed(byte[] input) throws IOException {
        stream(GEMINI, input);
    }

    @FuzzTest(maxDuration = "2m")
    void ollamaReplyParsesOrIsMalformed(byte[] input) {
        reply(OLLAMA, input);
    }

    @FuzzTest(maxDuration = "2m")
    void ollamaStreamDecodesOrIsMalformed(byte[] input) throws IOException {
        stream(OLLAMA, input);
    }

    /**
     * Input: a first line {@code <status> <retry-after header>}, then the error body. Every adapter maps any failed
     * response to a typed exception carrying that status, and the key the body may echo never shows.
     */
    @FuzzTest(maxDuration = "2m")
    void errorBodiesMapToATypedExceptionWithoutTheKey(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String head = newline < 0 ? text : text.substring(0, newline);
        String body = newline < 0 ? "" : text.substring(newline + 1);
        int status = head.length() >= 3 && head.substring(0, 3).chars().allMatch(Character::isDigit)
                ? Integer.parseInt(head.substring(0, 3)) : 500;
        if (status / 100 == 2 || status < 100) {
            // the transport only maps failed responses
            return;
        }
        String retryAfter = head.length() > 4 ? head.substring(4) : "";
        HttpHeaders headers = HttpHeaders.of(Map.of("retry-after", List.of(retryAfter), "x-request-id", List.of("req_1"),
                "request-id", List.of("req_1")), (name, value) -> true);
        for (ProviderWire wire : List.of(OPENAI, ANTHROPIC, GEMINI, OLLAMA)) {
            ModelException e = wire.errors().map(status, SECRET.redact(body), headers);
            assertNamesProviderNotKey(wire, e);
            assertThat(e.status()).as("%s: %s", wire.provider(), e).hasValue(status);
            if (e instanceof ModelException.RateLimited limited) {
                limited.retryAfter().ifPresent(d -> assertThat(d.isNegative()).as("negative retry after %s", d).isFalse());
            }
        }
    }

    private static void reply(ProviderWire wire, byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        ChatResponse response;
        try {
            response = wire.parse().apply(body, MODEL);
        } catch (ModelException e) {
            assertNamesProviderNotKey(wire, e);
            assertMalformedUnlessAnErrorWasSent(e, body);
            return;
        }
        assertThat(response).isNotNull();
    }

    /** The text a caller watched arrive is the reply's text: nothing shown that the history will not hold, and back. */
    private static void stream(ProviderWire wire, byte[] input) throws IOException {
        StreamDecoder decoder = wire.decoder().apply(MODEL);
        StringBuilder streamed = new StringBuilder();
        ChatResponse response;
        try {
            boolean completed = Framing.decode(new ByteArrayInputStream(input), wire.framing(),
                    event -> decoder.accept(event, streamed::append));
            response = decoder.finish(completed);
        } catch (ModelException e) {
            assertNamesProviderNotKey(wire, e);
            assertMalformedUnlessAnErrorWasSent(e, new String(input, StandardCharsets.UTF_8));
            return;
        }
        assertThat(response.text()).as("the streamed text").isEqualTo(streamed.toString());
    }

    private static void assertNamesProviderNotKey(ProviderWire wire, ModelException e) {
        assertThat(e.provider()).isEqualTo(wire.provider());
        assertThat(e.getMessage()).as("message of %s", e.getClass().getSimpleName()).contains(wire.provider()).doesNotContain(KEY);
    }

    /** Only an error the provider itself reported becomes another kind of {@link ModelException}. */
    private static void assertMalformedUnlessAnErrorWasSent(ModelException e, String body) {
        if (!(e instanceof ModelException.MalformedResponse)) {
            assertThat(body).as("a %s from a body without an error", e.getClass().getSimpleName()).contains("error");
        }
    }

    private static List<SseEvent> events(InputStream body, StreamFraming framing) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        Framing.decode(body, framing, event -> {
            events.add(event);
            return false;
        });
        return events;
    }

    /**
     * The events as the HTML event-stream specification defines them (lines end at CR, LF or CRLF; an empty line
     * dispatches; {@code data} lines join with LF; an event without data is not dispatched), or one per non-blank line.
     * Differs from the spec in one way the adapters accept: an event still open when the body ends is delivered.
     */
    private static List<SseEvent> specified(String body, StreamFraming framing) {
        List<String> lines = new ArrayList<>(List.of(body.split("\r\n|\r|\n", -1)));
        if (lines.getLast().isEmpty()) {
            // a terminator at the very end ends the last line; it does not start an empty one
            lines.removeLast();
        }
        List<SseEvent> events = new ArrayList<>();
        if (framing == StreamFraming.JSON_LINES) {
            lines.stream().filter(line -> !line.isBlank()).forEach(line -> events.add(new SseEvent(null, line)));
            return events;
        }
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) {
            // the event-stream format: one byte order mark at the very start of the stream is dropped
            lines.set(0, lines.getFirst().substring(1));
        }
        String type = null;
        List<String> data = new ArrayList<>();
        lines.add("");
        for (String line : lines) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new SseEvent(type, String.join("\n", data)));
                }
                type = null;
                data.clear();
                continue;
            }
            String[] field = line.split(":", 2);
            String value = field.length < 2 ? "" : field[1].startsWith(" ") ? field[1].substring(1) : field[1];
            if (field[0].equals("event")) {
                type = value;
            } else if (field[0].equals("data")) {
                data.add(value);
            }
        }
        return events;
    }

    /** A body that arrives in reads of random sizes, as from a network. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] body;
        private final Random sizes;
        private final int maxChunk;
        private int position;

        ChunkedStream(byte[] body, Random sizes, int maxChunk) {
            this.body = body;
            this.sizes = sizes;
            this.maxChunk = maxChunk;
        }

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= body.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + sizes.nextInt(maxChunk)), body.length - position);
            System.arraycopy(body, position, b, off, n);
            position += n;
            return n;
        }
    }
}
