package dev.parley.context;

import dev.parley.ParleyException;

/**
 * A request does not fit the context even after the policy dropped or summarised all it could: what
 * the policy must keep (initial context, summary, pins, or the whole history for {@code all()}) leaves
 * too little room. Nothing was sent or written.
 */
public final class QuotaExceededException extends ParleyException {
    private final long requested;
    private final long available;

    public QuotaExceededException(long requested, long available) {
        super("context quota exceeded: the request needs " + requested + " tokens, " + available + " available");
        this.requested = requested;
        this.available = available;
    }

    /** Tokens the request itself needs. */
    public long requested() {
        return requested;
    }

    /** Tokens left for the request once the context the policy cannot drop is counted (0 if none). */
    public long available() {
        return available;
    }
}
