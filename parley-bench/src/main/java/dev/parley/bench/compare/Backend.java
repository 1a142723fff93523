package dev.parley.bench.compare;

import java.util.List;

/** A database every system of one part of the comparison stores into, with the systems on it. */
interface Backend extends AutoCloseable {
    /** {@code SQLite}, {@code PostgreSQL} or {@code Redis}. */
    String name();

    /** The server or files and the durability settings every system here shares, as read back from them. */
    List<String> settings();

    /** Parley first, then the peers. */
    List<ChatSystem> systems();

    /**
     * Called once every conversation is seeded, before anything is timed: what an operator does after a
     * bulk load (refresh the planner's statistics). Nothing to do unless the backend says otherwise.
     */
    default String afterSeeding() {
        return "";
    }

    /** Closes the systems and removes everything the run created. */
    @Override
    void close();
}
