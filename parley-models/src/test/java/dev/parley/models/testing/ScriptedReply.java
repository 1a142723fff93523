package dev.parley.models.testing;

import dev.parley.domain.Part;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One reply a fake server will give, in the order replies were scripted. Made by the servers' {@code reply…}
 * methods and adjusted fluently before the request arrives:
 *
 * <pre>{@code
 * server.replyText("Bonjour").usage(12, 3);
 * server.replyText("late").delay(Duration.ofSeconds(5));
 * ScriptedReply.Gate gate = server.replyText("one two three").pauseAfterFirstChunk();
 * }</pre>
 */
public final class ScriptedReply {
    enum Kind { ANSWER, ERROR, MALFORMED, STREAM_ERROR }

    /** A piece of a scripted answer, in order. */
    sealed interface Content {
    }

    record Text(String text) implements Content {
    }

    record Call(Part.ToolCall call) implements Content {
    }

    /**
     * The model thought: Anthropic sends a thinking block, Gemini a thought signature, Ollama the {@code thinking}
     * field. A null signature is issued by the server for the request's model.
     */
    record Thinking(String thinking, String signature) implements Content {
    }

    /** Reasoning text of an OpenAI-compatible server ({@code reasoning_content}). */
    record Reasoning(String text) implements Content {
    }

    final Kind kind;
    final List<Content> contents = new ArrayList<>();
    final int status;
    final String body;
    final Map<String, String> headers = new LinkedHashMap<>();
    volatile Integer inputTokens;
    volatile Integer outputTokens;
    volatile String finishReason;
    volatile Duration delay = Duration.ZERO;
    volatile Gate gate;

    private ScriptedReply(Kind kind, int status, String body) {
        this.kind = kind;
        this.status = status;
        this.body = body;
    }

    static ScriptedReply answer(List<Content> contents) {
        ScriptedReply reply = new ScriptedReply(Kind.ANSWER, 200, null);
        reply.contents.addAll(contents);
        return reply;
    }

    static ScriptedReply error(int status, String body) {
        return new ScriptedReply(Kind.ERROR, status, Objects.requireNonNull(body, "body"));
    }

    /** A stream that starts and then fails with the provider's error event ({@code body} holds its type and message). */
    static ScriptedReply streamError(String type, String message) {
        ScriptedReply reply = new ScriptedReply(Kind.STREAM_ERROR, 200, message);
        reply.contents.add(new Text(type));
        return reply;
    }

    static ScriptedReply malformed() {
        return new ScriptedReply(Kind.MALFORMED, 200, null);
    }

    /** The usage the reply reports (default: input ≈ request size / 4, output = words + 10 per tool call). */
    public ScriptedReply usage(int input, int output) {
        this.inputTokens = input;
        this.outputTokens = output;
        return this;
    }

    /** The provider's raw finish / stop reason (default: the natural one for the content). */
    public ScriptedReply finishReason(String raw) {
        this.finishReason = raw;
        return this;
    }

    /** Waits this long before sending anything (the response headers included): a slow provider. */
    public ScriptedReply delay(Duration wait) {
        this.delay = Objects.requireNonNull(wait, "delay");
        return this;
    }

    /** An extra response header. */
    public ScriptedReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Adds thinking before the reply's content, as each provider shows it: Anthropic a thinking block, Gemini a thought
     * signature (on the first function call, else on the text), Ollama the message's {@code thinking}. Signatures are
     * issued by the server for the request's model.
     */
    public ScriptedReply withThinking(String thinking) {
        contents.addFirst(new Thinking(thinking, null));
        return this;
    }

    /** Adds the reasoning text OpenAI-compatible servers return as {@code reasoning_content}. */
    public ScriptedReply withReasoning(String reasoning) {
        contents.addFirst(new Reasoning(reasoning));
        return this;
    }

    /**
     * When streamed, the reply stops after its first text chunk until the test opens the returned gate: a test
     * can then observe that text arrives before the reply completes, or cancel in the middle.
     */
    public Gate pauseAfterFirstChunk() {
        Gate g = new Gate();
        this.gate = g;
        return g;
    }

    /** Holds a streamed reply in the middle. */
    public static final class Gate {
        private static final long BOUND_SECONDS = 30;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        /** Lets the server send the rest. */
        public void open() {
            opened.countDown();
        }

        /** Waits until the server has sent the first chunk and stopped; false if it did not within 30 s. */
        public boolean awaitReached() throws InterruptedException {
            return reached.await(BOUND_SECONDS, TimeUnit.SECONDS);
        }

        void reachedAndWait() throws InterruptedException {
            reached.countDown();
            if (!opened.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate of a paused reply");
            }
        }
    }
}
