package dev.parley.server.internal;

import dev.parley.json.ParleyJson;
import dev.parley.models.chat.Chat;
import dev.parley.models.chat.TurnOptions;
import dev.parley.models.chat.TurnResult;
import dev.parley.models.chat.TurnStream;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A streamed chat turn as server-sent events: {@code delta} events with text as it arrives, then one {@code done}
 * event with the finished turn, or an {@code error} event. A turn that fails before its first text (quota, budget,
 * conflict, a provider refusing the request) is an ordinary JSON error with its status instead, because no event
 * has committed the response yet. If the client goes away, the turn is cancelled and nothing is appended.
 */
final class SseTurn {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SseTurn.class);

    private final Call call;

    SseTurn(Call call) {
        this.call = call;
    }

    /** Queued after the last text when the turn is done: the writer wakes for it at once instead of polling. */
    private static final Object FINISHED = new Object();

    void run(Chat chat, TurnOptions options, String modelName) throws Exception {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        TurnStream turn = chat.stream(options, events::add);
        turn.result().whenComplete((result, failure) -> events.add(FINISHED));
        Object first = events.take();
        if (first == FINISHED && turn.result().isCompletedExceptionally()) {
            throw failure(turn);
        }
        call.ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        OutputStream out = call.ctx.res().getOutputStream();
        try {
            for (Object event = first; event != FINISHED; event = events.take()) {
                delta(out, (String) event);
            }
            // Text handed over after the turn completed, if a producer does that, still goes out.
            for (Object late = events.poll(); late != null; late = events.poll()) {
                delta(out, (String) late);
            }
            if (turn.result().isCompletedExceptionally()) {
                Exception cause = failure(turn);
                ErrorMapper.Mapped mapped = call.api.errors().map(cause);
                call.api.errors().logIfServerFault(mapped, call.ctx, cause);
                event(out, "error", ErrorMapper.body(mapped, RequestIds.of(call.ctx)));
            } else {
                TurnResult result = turn.result().get();
                ObjectNode done = ChatRoutes.turn(call, result, modelName);
                event(out, "done", ParleyJson.write(done));
            }
        } catch (IOException clientGone) {
            turn.cancel();
            LOG.info("request {}: the client closed the stream; the turn was cancelled and nothing appended",
                    RequestIds.of(call.ctx));
        }
    }

    private void delta(OutputStream out, String text) throws IOException {
        event(out, "delta", ParleyJson.write(ParleyJson.object().put("text", text)));
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Exception failure(TurnStream turn) {
        try {
            turn.result().get();
            return new IllegalStateException("the turn completed");
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
