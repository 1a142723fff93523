package dev.parley.store.postgres;

import dev.parley.ParleyException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A write waiting for its batch: completed only after the batch's transaction committed (or failed). */
final class PendingWrite {
    final TenantId tenant;
    final SessionId id;
    final WriteRequest request;
    private final CompletableFuture<WriteResult> outcome = new CompletableFuture<>();

    PendingWrite(TenantId tenant, SessionId id, WriteRequest request) {
        this.tenant = tenant;
        this.id = id;
        this.request = request;
    }

    void succeed(WriteResult result) {
        outcome.complete(result);
    }

    void fail(RuntimeException e) {
        outcome.completeExceptionally(e);
    }

    boolean done() {
        return outcome.isDone();
    }

    /** Waits for the outcome; an interrupt does not abandon a write that may still land, it is kept for the caller. */
    WriteResult await() {
        try {
            return outcome.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ParleyException p) {
                throw p;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
