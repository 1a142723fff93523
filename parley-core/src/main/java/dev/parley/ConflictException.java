package dev.parley;

/**
 * A write did not land because of the state it met: a failed {@code ifVersion} / {@code ifHead}
 * condition, an id or name that already exists, or a vault row another write issued first.
 * Nothing was changed. Retrying after re-reading the session may succeed.
 */
public final class ConflictException extends ParleyException {
    /** Why the write conflicted; lets callers react without parsing messages. */
    public enum Reason { VERSION, HEAD, ALREADY_EXISTS, VAULT, IN_FLIGHT }

    private final Reason reason;

    public ConflictException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
