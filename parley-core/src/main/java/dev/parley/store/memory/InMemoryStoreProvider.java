package dev.parley.store.memory;

import dev.parley.InvalidInputException;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;

import java.time.Clock;
import java.util.Set;

/** {@code memory:} — a fresh in-memory store (nothing survives the process). */
public final class InMemoryStoreProvider implements SessionStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public SessionStore open(String location, Clock clock) {
        if (!location.equalsIgnoreCase("memory:")) {
            throw new InvalidInputException("store", "the memory store takes no location: use 'memory:'");
        }
        return new InMemorySessionStore(clock);
    }

    @Override
    public String usage() {
        return "memory:            in memory, lost when the process ends";
    }
}
