package dev.parley;

import java.util.Objects;

/**
 * A typed name for a piece of state, so reads need no casts:
 * {@code static final StateKey<String> LANGUAGE = StateKey.of("language", String.class);}
 */
public record StateKey<T>(String name, Class<T> type) {
    public StateKey {
        StateValues.requireKey(name);
        Objects.requireNonNull(type, "type");
    }

    public static <T> StateKey<T> of(String name, Class<T> type) {
        return new StateKey<>(name, type);
    }
}
