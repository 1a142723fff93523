package dev.parley.privacy;

/** What the sanitiser does with a finding; chosen per entity type by a {@link SanitizerPolicy}. */
public enum Action {
    /**
     * Replace the value by a typed placeholder such as {@code <EMAIL_1>}. The same value gets the same placeholder
     * for the life of the session (its {@link PlaceholderBook}), and the {@link Restorer} puts it back.
     */
    PSEUDONYMISE,
    /** Replace the value by {@code [REDACTED_<TYPE>]}, for example {@code [REDACTED_SECRET]}; not restorable. */
    REDACT,
    /**
     * Replace every character by {@code *} except the last four, for example {@code ************1111}; values shorter
     * than eight characters are masked entirely so that at most half of a value is ever shown. Not restorable.
     */
    MASK,
    /** Leave the value as it is. */
    KEEP
}
