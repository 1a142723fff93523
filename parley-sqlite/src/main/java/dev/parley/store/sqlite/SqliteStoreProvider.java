package dev.parley.store.sqlite;

import dev.parley.InvalidInputException;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;
import dev.parley.store.SessionStores;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/**
 * {@code sqlite:PATH}: lets {@code --store}, {@code PARLEY_STORE} and
 * {@link SessionStores#open} name an SQLite file, the default store. The path may be
 * relative ({@code sqlite:./parley-data/parley.db}) or absolute ({@code sqlite:/var/lib/parley/parley.db});
 * the file and its directory are created if missing.
 */
public final class SqliteStoreProvider implements SessionStoreProvider {
    private static final String PREFIX = "sqlite:";

    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    @Override
    public SessionStore open(String location, Clock clock) {
        if (location == null || !location.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new InvalidInputException("store", "an SQLite store location starts with 'sqlite:', e.g. sqlite:./parley-data/parley.db"
                    + " — got '" + location + "'");
        }
        String path = location.substring(PREFIX.length());
        if (path.isBlank()) {
            throw new InvalidInputException("store", "sqlite: needs the path of the database file, e.g. sqlite:./parley-data/parley.db");
        }
        try {
            return new SqliteSessionStore(Path.of(path), clock);
        } catch (InvalidPathException e) {
            throw new InvalidInputException("store", "'" + path + "' is not a valid file path: " + e.getReason());
        }
    }

    @Override
    public String usage() {
        return "sqlite:PATH        an SQLite file on this machine (the default: " + SessionStores.DEFAULT_LOCATION + ")";
    }
}
