package dev.parley.models.chat;

import java.util.concurrent.CompletableFuture;

/** A streaming turn in progress: text reaches the handler as it arrives; the turn is appended when it completes. */
public interface TurnStream {
    /** Completes with the turn once appended; fails with the error (nothing appended) or on cancellation. */
    CompletableFuture<TurnResult> result();

    /** Stops the model call; nothing is appended. */
    void cancel();

    /** Waits for the turn. */
    default TurnResult await() {
        try {
            return result().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
