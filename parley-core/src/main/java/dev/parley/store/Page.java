package dev.parley.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing; {@code nextCursor} is absent on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
