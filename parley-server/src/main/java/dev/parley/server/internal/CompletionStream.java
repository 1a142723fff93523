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
import java.util.concurrent.TimeUnit;
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

    /** A reply being produced: its text goes to the queue given with it; it ends with the answer. */
    interface Source {
        CompletableFuture<Completions.Answer> result();

        void cancel();
    }

    private final Call call;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;

    CompletionStream(Call call, String model, boolean includeUsage) {
        this.call = call;
        this.id = Completions.newId();
        this.created = call.api.clock().instant().getEpochSecond();
        this.model = model;
        this.includeUsage = includeUsage;
    }

    /** Streams {@code source}, whose text arrives in {@code texts}; {@code onAnswer} is told about a finished reply. */
    void run(Source source, BlockingQueue<String> texts, Consumer<Completions.Answer> onAnswer) throws Exception {
        String first = null;
        while (first == null && !source.result().isDone()) {
            first = texts.poll(25, TimeUnit.MILLISECONDS);
        }
        if (first == null && source.result().isCompletedExceptionally()) {
            throw failure(source);
        }
        call.ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        OutputStream out = call.ctx.res().getOutputStream();
        try {
            send(out, chunk(delta -> delta.put("role", "assistant").put("content", ""), null));
            if (first != null) {
                text(out, first);
            }
            while (!source.result().isDone() || !texts.isEmpty()) {
                String text = texts.poll(25, TimeUnit.MILLISECONDS);
                if (text != null) {
                    text(out, text);
                }
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
