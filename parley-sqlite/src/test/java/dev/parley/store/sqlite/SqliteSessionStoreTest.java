package dev.parley.store.sqlite;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The whole store contract, against a fresh SQLite file per test. */
class SqliteSessionStoreTest extends SessionStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SessionStore newStore(MutableClock clock) {
        return new SqliteSessionStore(dir.resolve("parley.db"), clock);
    }
}
