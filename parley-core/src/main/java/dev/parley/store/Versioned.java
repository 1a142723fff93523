package dev.parley.store;

/** A value with the version a conditional update must name. */
public record Versioned<T>(T value, long version) {
}
