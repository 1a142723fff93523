package dev.parley.bench.compare;

/**
 * One system under comparison. The timed operations, {@link #appendTurn} and {@link #readLastTwenty},
 * go through the system's normal public API, as an application would call it; seeding and counting go
 * to its storage directly, so that they cost the benchmark little and see what is really stored.
 */
interface ChatSystem extends AutoCloseable {
    /** Keeps everything: the window of a system that never deletes history. */
    int EVERYTHING = Integer.MAX_VALUE;

    /** The name in the tables, such as {@code spring-ai full}. */
    String name();

    /** What exactly runs: the version, the API and its settings, the storage layout. */
    String configuration();

    boolean isParley();

    /** How many messages the system keeps per conversation: {@link #EVERYTHING}, or its window. */
    int window();

    /**
     * Writes, in bulk and in the system's own storage format, what the system would hold after a
     * conversation of {@code length} messages (see {@link Workload#firstKept}). Not timed.
     */
    void seed(String conversation, int length);

    /** Appends turn {@code turn}: a user message and the assistant's reply, stored durably when it returns. Timed. */
    void appendTurn(String conversation, int turn);

    /** Reads the conversation's last 20 messages and returns how many came back. Timed. */
    int readLastTwenty(String conversation);

    /** How many messages the public API returns for the whole conversation; checks a seed. */
    int visible(String conversation);

    /** How many messages of the conversation the storage still holds, counted in the storage. */
    int held(String conversation);

    @Override
    void close();
}
