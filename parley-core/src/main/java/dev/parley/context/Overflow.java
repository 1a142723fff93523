package dev.parley.context;

/**
 * A context had to be cut to fit: reported to an {@link OverflowListener}.
 *
 * @param kind            whether history was dropped or summarised
 * @param omittedMessages messages of the path the context leaves out
 * @param contextTokens   tokens of the context as sent
 * @param contextWindow   the model's context window
 */
public record Overflow(Kind kind, int omittedMessages, int contextTokens, int contextWindow) {

    public enum Kind {
        /** The window stopped short of the start of the usable history. */
        DROPPED,
        /** Older history was summarised; the summary is for the caller to append. */
        SUMMARISED
    }
}
