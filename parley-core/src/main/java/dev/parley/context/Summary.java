package dev.parley.context;

import dev.parley.InvalidInputException;

/** What a {@link Summariser} made of a range of messages. */
public record Summary(String text) {
    public Summary {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("summary", "a summary needs text");
        }
    }
}
