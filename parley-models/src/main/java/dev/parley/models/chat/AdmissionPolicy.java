package dev.parley.models.chat;

/**
 * What a chat turn does when another write landed on its branch while it waited for the model
 * (its append is conditional on the head it started from).
 */
public enum AdmissionPolicy {
    /** Fail with a {@link dev.parley.ConflictException} (HTTP 409); nothing is appended. The default. */
    REJECT,
    /** Turns of one session run one at a time in this process; a turn that still conflicts (another process) is run again. */
    QUEUE,
    /** The turn lands on a new branch {@code turn/<head>-<n>} started at the head it saw. */
    BRANCH
}
