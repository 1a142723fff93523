package dev.parley.store.sqlite;

import dev.parley.security.KeyRotationContract;
import dev.parley.store.SessionStore;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Key rotation over an SQLite file of its own per test. */
class SqliteKeyRotationTest extends KeyRotationContract {
    @TempDir
    Path dir;

    @Override
    protected SessionStore newStore(MutableClock clock) {
        return new SqliteSessionStore(dir.resolve("parley.db"), clock);
    }
}
