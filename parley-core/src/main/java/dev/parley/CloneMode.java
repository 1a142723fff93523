package dev.parley;

/** What a clone copies. */
public enum CloneMode {
    /** The whole tree: every entry, branch and checkpoint (or, cut at an entry, the path up to it). */
    FULL,
    /** Only the initial context: system prompt, initial prompts and initial state. */
    INITIAL
}
