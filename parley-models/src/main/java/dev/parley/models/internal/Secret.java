package dev.parley.models.internal;

/**
 * An API key. Its {@code toString()} never shows it, and {@link #redact} scrubs it from any text that leaves
 * an adapter (exception messages, log lines), also when a provider echoes it back in an error body.
 */
public final class Secret {
    private static final String REDACTED = "[redacted]";
    private static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value);
    }

    public static Secret none() {
        return NONE;
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** The key itself, for the one header that carries it. */
    public String reveal() {
        return value;
    }

    public String redact(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, REDACTED);
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : REDACTED;
    }
}
