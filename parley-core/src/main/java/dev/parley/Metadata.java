package dev.parley;

import java.util.Map;
import java.util.Optional;

/** A session's string metadata (titles, tags, channel …). Each change is one write; never sanitised. */
public interface Metadata {
    Optional<String> get(String key);

    void set(String key, String value);

    /** Sets and removes several keys in one write. */
    void update(Map<String, String> put, java.util.Set<String> remove);

    void remove(String key);

    Map<String, String> all();
}
