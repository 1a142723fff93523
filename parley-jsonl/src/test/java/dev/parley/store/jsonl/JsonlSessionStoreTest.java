package dev.parley.store.jsonl;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The whole store contract against JSONL files in a fresh directory per test. */
class JsonlSessionStoreTest extends SessionStoreContract {

    @TempDir
    Path dir;

    @Override
    protected SessionStore newStore(MutableClock clock) {
        return new JsonlSessionStore(dir, clock);
    }
}
