package dev.parley.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeysTest {
    @TempDir
    Path dir;

    @Test
    void aKeyIsGeneratedIntoTheDataDirectoryOnFirstUseAndReadBackAfterwards() throws IOException {
        Path data = dir.resolve("parley-data");
        KeyRing first = MasterKeys.loadOrCreate(data);
        Path file = data.resolve(MasterKeys.FILE_NAME);
        assertThat(file).exists();
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(file)).startsWith("#").contains(first.primary().id() + ":");
        assertThat(MasterKeys.loadOrCreate(data).primary()).isEqualTo(first.primary());
        try (var stream = Files.list(data)) {
            assertThat(stream.map(p -> p.getFileName().toString())).containsExactly(MasterKeys.FILE_NAME);
        }
    }

    @Test
    void anSqliteLocationKeepsItsKeyBesideTheDatabase() {
        Path db = dir.resolve("d/parley.db");
        KeyRing ring = MasterKeys.forStore("sqlite:" + db, null);
        assertThat(dir.resolve("d").resolve(MasterKeys.FILE_NAME)).exists();
        assertThat(MasterKeys.forStore("sqlite:" + db, "").primary()).isEqualTo(ring.primary());
        assertThat(MasterKeys.dataDirectoryOf("jsonl:" + dir)).contains(dir.toAbsolutePath());
    }

    @Test
    void aConfiguredKeyWinsOverTheDataDirectory() {
        MasterKey configured = MasterKey.generate();
        assertThat(MasterKeys.forStore("sqlite:" + dir.resolve("p.db"), configured.encode()).primary()).isEqualTo(configured);
        assertThat(dir.resolve(MasterKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void sharedBackendsRefuseToStartWithoutAConfiguredKey() {
        for (String location : new String[]{"postgres://app@db:5432/parley", "redis://cache:6379", "rediss://cache:6380",
                "redis-cluster://a:7000,b:7001", "rediss-cluster://a:7000"}) {
            assertThatThrownBy(() -> MasterKeys.forStore(location, null)).as(location).isInstanceOf(KeyException.class)
                    .hasMessageContaining("shared by several servers").hasMessageContaining("set PARLEY_MASTER_KEY");
        }
        MasterKey configured = MasterKey.generate();
        assertThat(MasterKeys.forStore("postgres://app@db/parley", configured.encode()).primary()).isEqualTo(configured);
    }

    @Test
    void anInvalidConfiguredKeyIsAClearErrorAtStartUp() {
        assertThatThrownBy(() -> MasterKeys.forStore("postgres://db/parley", "k1:tooShort"))
                .isInstanceOf(KeyException.class).hasMessageStartingWith("PARLEY_MASTER_KEY is not a valid master key:");
    }

    @Test
    void aDamagedKeyFileIsNamedInTheError() throws IOException {
        Files.writeString(dir.resolve(MasterKeys.FILE_NAME), "# comment\nk1:AAAA\n");
        assertThatThrownBy(() -> MasterKeys.loadOrCreate(dir)).isInstanceOf(KeyException.class)
                .hasMessageStartingWith("the master key file " + dir.resolve(MasterKeys.FILE_NAME) + " is not a valid master key");
    }

    @Test
    void theMemoryStoreGetsAKeyThatLivesWithTheProcess() {
        assertThat(MasterKeys.forStore("memory:", null).primary()).isNotEqualTo(MasterKeys.forStore("memory:", null).primary());
    }
}
