package dev.parley.bench.compare;

/**
 * The conversation every system stores: message {@code i} (from 0) is a user message when {@code i} is
 * even and the assistant's reply otherwise, of turn {@code i / 2}. A user message is 120 characters and
 * a reply 480, the sizes of a short chat exchange; the turn number at the start makes every message
 * distinct, as real ones are.
 */
final class Workload {
    static final int USER_CHARS = 120;
    static final int ASSISTANT_CHARS = 480;
    /** What the read returns: the last this many messages. */
    static final int LAST = 20;

    private static final String QUESTION = "Could you remind me what we decided about the retry policy for the "
            + "payment service, and whether the timeout applies per attempt or to the whole call? ";
    private static final String ANSWER = "We decided on three attempts with exponential backoff starting at two "
            + "hundred milliseconds and full jitter, so that clients retrying together do not hit the service in "
            + "waves. The timeout of two seconds applies to each attempt, not to the whole call; the caller's own "
            + "deadline bounds the total. Idempotency keys make a retried payment safe: the service returns the "
            + "first result for a key it has already seen instead of charging twice. ";

    private Workload() {
    }

    static String user(int turn) {
        return fit("Turn " + turn + ". " + QUESTION, USER_CHARS);
    }

    static String assistant(int turn) {
        return fit("Turn " + turn + ". " + ANSWER, ASSISTANT_CHARS);
    }

    static boolean isUser(int index) {
        return index % 2 == 0;
    }

    /** The text of message {@code index} of the conversation. */
    static String text(int index) {
        return isUser(index) ? user(index / 2) : assistant(index / 2);
    }

    /**
     * The first message a system keeping the last {@code window} messages still holds after a
     * conversation of {@code length} messages: windowed memories are seeded with what they would hold,
     * not with history they would already have deleted.
     */
    static int firstKept(int length, int window) {
        return Math.max(0, length - window);
    }

    private static String fit(String text, int length) {
        return text.repeat(length / text.length() + 1).substring(0, length);
    }
}
