package dev.parley.models;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A reply being streamed: its eventual result, and a way to stop it. */
public interface ChatStream {

    /**
     * Completes with the whole reply after {@link StreamHandler#onComplete}, exceptionally with the
     * {@link ModelException} after {@link StreamHandler#onError}, and is cancelled by {@link #cancel()}.
     */
    CompletableFuture<ChatResponse> result();

    /**
     * Stops the stream and closes its connection. Once this returns no further callback starts, and
     * {@link #result()} is cancelled. Idempotent; does nothing after the stream ended.
     */
    void cancel();

    boolean isCancelled();

    /**
     * Waits for the whole reply. Throws the stream's {@link ModelException}, or {@link CancellationException}
     * when it was cancelled; an interrupt of the waiting thread cancels the stream.
     */
    default ChatResponse await() {
        try {
            return result().get();
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while waiting for the model's reply");
            cancelled.initCause(e);
            throw cancelled;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the stream failed: " + e.getCause(), e.getCause());
        }
    }
}
