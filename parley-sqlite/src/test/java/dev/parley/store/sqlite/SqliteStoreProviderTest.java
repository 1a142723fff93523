package dev.parley.store.sqlite;

import dev.parley.InvalidInputException;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreProviderTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @Test
    void aSqliteLocationOpensThatFileCreatingItsDirectories() {
        Path file = dir.resolve("data/parley.db");
        try (SessionStore store = SessionStores.open("sqlite:" + file, clock)) {
            assertThat(store).isInstanceOf(SqliteSessionStore.class);
            assertThat(store.describe()).isEqualTo("sqlite:" + file);
        }
        assertThat(Files.isRegularFile(file)).isTrue();
    }

    @Test
    void aSqliteLocationWithoutAPathIsRefusedWithAnExample() {
        assertThatThrownBy(() -> SessionStores.open("sqlite:", clock))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("sqlite: needs the path of the database file, e.g. sqlite:./parley-data/parley.db");
    }

    @Test
    void theUsageLineNamesTheScheme() {
        assertThat(new SqliteStoreProvider().usage()).startsWith("sqlite:PATH");
        assertThat(SessionStores.providers()).anySatisfy(p -> assertThat(p).isInstanceOf(SqliteStoreProvider.class));
    }
}
