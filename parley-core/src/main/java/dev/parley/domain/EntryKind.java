package dev.parley.domain;

/** What an entry of the history tree records. */
public enum EntryKind {
    /** A message (or the tombstone of a redacted one). */
    MESSAGE,
    /** A change of session-scope state, with the resulting snapshot. */
    STATE,
    /** A summary standing in for a range of earlier entries in later contexts. */
    SUMMARY,
    /** An entry was pinned; carries the new pin set. */
    PIN,
    /** An entry was unpinned; carries the new pin set. */
    UNPIN
}
