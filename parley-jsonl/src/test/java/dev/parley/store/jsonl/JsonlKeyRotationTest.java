package dev.parley.store.jsonl;

import dev.parley.security.KeyRotationContract;
import dev.parley.store.SessionStore;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Key rotation over a JSONL directory of its own per test. */
class JsonlKeyRotationTest extends KeyRotationContract {
    @TempDir
    Path dir;

    @Override
    protected SessionStore newStore(MutableClock clock) {
        return new JsonlSessionStore(dir.resolve("store"), clock);
    }
}
