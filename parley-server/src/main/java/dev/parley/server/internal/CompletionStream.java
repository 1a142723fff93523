package dev.parley.server.internal;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A reply streamed as OpenAI does it: {@code data: {chat.completion.chunk}} server-sent events (the role first, then
 * the text as it arrives, the tool calls whole, a chunk with the finish reason, the usage when asked for) and
 * {@code data: [DONE]}. A reply that fails before any text is an ordinary JSON error with its status; once the
 * stream has started, a failure is a {@code data: {"error": {…}}} event (OpenAI's SDKs raise it) and no {@code [DONE]}.
 * A client that goes away cancels the reply: in a session, nothing is appended.
 */
final class CompletionStream {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CompletionStream.class);

    /** A reply being produced: its text goes to the stream's {@link #texts()}; it ends with the answer. */
    interface Source {
        CompletableFuture<Completions.Answer> result();

        void cancel();
    }

    /** Queued after the last text when the reply is done: the writer wakes for it at once instead of polling. */
    private static final Object FINISHED = new Object();

    private final Call call;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    CompletionStream(Call call, String model, boolean includeUsage) {
        this.call = call;
        this.id = Completions.newId();
        this.created = call.api.clock().instant().getEpochSecond();
        this.model = model;
        this.includeUsage = includeUsage;
    }

    /** Where the reply's text goes as it arrives: hand it to what produces the reply. */
    Consumer<String> texts() {
        return events::add;
    }

    /** Streams {@code source}, whose text arrives through {@link #texts()}; {@code onAnswer} is told about a finished reply. */
    void run(Source source, Consumer<Completions.Answer> onAnswer) throws Exception {
        source.result().whenComplete((answer, failure) -> events.add(FINISHED));
        Object first = events.take();
        if (first == FINISHED && source.result().isCompletedExceptionally()) {
            throw failure(source);
        }
        call.ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        OutputStream out = call.ctx.res().getOutputStream();
        try {
            send(out, chunk(delta -> delta.put("role", "assistant").put("content", ""), null));
            for (Object event = first; event != FINISHED; event = events.take()) {
                text(out, (String) event);
            }
            // Text handed over after the reply completed, if a producer does that, still goes out.
            for (Object late = events.poll(); late != null; late = events.poll()) {
                text(out, (String) late);
            }
            if (source.result().isCompletedExceptionally()) {
                Exception cause = failure(source);
                ErrorMapper.Mapped mapped = call.api.errors().map(cause);
                call.api.errors().logIfServerFault(mapped, call.ctx, cause);
                ObjectNode error = ParleyJson.object();
                error.putObject("error").put("message", mapped.message()).put("type", mapped.code()).put("code", mapped.code())
                        .putNull("param");
                send(out, ParleyJson.write(error));
                return;
            }
            Completions.Answer answer = source.result().get();
            if (!answer.reply().toolCalls().isEmpty()) {
                send(out, chunk(delta -> delta.set("tool_calls", Completions.toolCalls(answer.reply().toolCalls(), true)), null));
            }
            send(out, chunk(delta -> { }, Completions.finishReason(answer)));
            if (includeUsage) {
                send(out, ParleyJson.write(Completions.usageChunk(id, created, answer.model(), answer.usage())));
            }
            send(out, "[DONE]");
            onAnswer.accept(answer);
        } catch (IOException clientGone) {
            source.cancel();
            LOG.info("request {}: the client closed the stream; the reply was cancelled and nothing appended",
                    RequestIds.of(call.ctx));
        }
    }

    private String chunk(Consumer<ObjectNode> delta, String finish) {
        return ParleyJson.write(Completions.chunk(id, created, model, delta, finish));
    }

    private void text(OutputStream out, String text) throws IOException {
        send(out, chunk(delta -> delta.put("content", text), null));
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Exception failure(Source source) {
        try {
            source.result().get();
            return new IllegalStateException("the reply completed");
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (CancellationException e) {
            return e;
        }
    }
}
