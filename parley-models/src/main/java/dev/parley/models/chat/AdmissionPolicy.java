package dev.parley.models.chat;

/**
 * What a chat turn does when another write moved its branch after the turn read the head: while it waited for the
 * model, or (a gateway turn) while the gateway lined the client's history up with the stored path. The turn's append
 * is conditional on the head it started from.
 */
public enum AdmissionPolicy {
    /** Fail with a {@link dev.parley.ConflictException} (HTTP 409); nothing is appended. The default. */
    REJECT,
    /** Turns of one session run one at a time in this process; a turn that still conflicts (another process) is run again. */
    QUEUE,
    /** The turn lands on a new branch {@code turn/<head>-<n>} started at the head it saw. */
    BRANCH
}
