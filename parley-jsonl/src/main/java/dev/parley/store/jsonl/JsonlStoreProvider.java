package dev.parley.store.jsonl;

import dev.parley.InvalidInputException;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/** {@code jsonl:DIR} — a {@link JsonlSessionStore} in directory {@code DIR} (created if missing). */
public final class JsonlStoreProvider implements SessionStoreProvider {
    private static final String SCHEME = "jsonl:";

    @Override
    public Set<String> schemes() {
        return Set.of("jsonl");
    }

    @Override
    public SessionStore open(String location, Clock clock) {
        if (location == null || !location.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidInputException("store", "a JSONL store location must start with 'jsonl:'");
        }
        String dir = location.substring(SCHEME.length());
        if (dir.isBlank()) {
            throw new InvalidInputException("store", "a JSONL store needs a directory: 'jsonl:DIR'");
        }
        Path path;
        try {
            path = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new InvalidInputException("store", "'" + dir + "' is not a valid directory path: " + e.getReason());
        }
        return new JsonlSessionStore(path, clock);
    }

    @Override
    public String usage() {
        return "jsonl:DIR          one JSONL file per session in DIR (in-memory index, rebuilt on open)";
    }
}
