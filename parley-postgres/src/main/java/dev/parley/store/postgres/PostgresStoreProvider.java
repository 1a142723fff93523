package dev.parley.store.postgres;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;

import java.time.Clock;
import java.util.Set;

/**
 * {@code postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]}: lets {@code --store},
 * {@code PARLEY_STORE} and {@link dev.parley.store.SessionStores#open} name a PostgreSQL store.
 */
public final class PostgresStoreProvider implements SessionStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("postgres", "postgresql");
    }

    @Override
    public SessionStore open(String location, Clock clock) {
        return PostgresSessionStore.builder().url(location).clock(clock).build();
    }

    @Override
    public String usage() {
        return "postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]   PostgreSQL, shared by several servers";
    }
}
