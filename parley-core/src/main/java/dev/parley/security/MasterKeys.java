package dev.parley.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the master keys come from. On one machine (an SQLite file, JSONL files) a key is generated into the data
 * directory on first use, with a warning to back it up; a deployment on a shared backend (PostgreSQL, Redis) must
 * configure {@value #VARIABLE}, so every server can read every vault.
 *
 * <pre>{@code
 * KeyRing ring = MasterKeys.forStore(storeLocation, System.getenv(MasterKeys.VARIABLE));
 * }</pre>
 */
public final class MasterKeys {
    /** The configuration variable holding the master key ring ({@code [ID:]KEY[,[ID:]KEY…]}, primary first). */
    public static final String VARIABLE = "PARLEY_MASTER_KEY";
    /** The file a generated master key is kept in, inside the data directory. */
    public static final String FILE_NAME = "master.key";

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
    private static final Set<String> SHARED_SCHEMES = Set.of("postgres", "postgresql", "redis", "rediss", "redis-cluster", "rediss-cluster");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private MasterKeys() {
    }

    /** The key ring configured in {@code value} (the content of {@value #VARIABLE}); a clear error if it is malformed. */
    public static KeyRing fromConfiguration(String value) {
        return KeyRing.parse(value, VARIABLE);
    }

    /**
     * The key ring for a store at {@code storeLocation}: the configured one when {@code configured} is set; else, for
     * an SQLite or JSONL store, the key in its data directory (generated on first use); else, for {@code memory:}, a
     * key that lives as long as the process. A shared or unknown backend without a configured key is refused.
     */
    public static KeyRing forStore(String storeLocation, String configured) {
        if (configured != null && !configured.isBlank()) {
            return fromConfiguration(configured);
        }
        String scheme = schemeOf(storeLocation);
        if (scheme.equals("memory")) {
            return KeyRing.of(MasterKey.generate());
        }
        Optional<Path> dataDir = dataDirectoryOf(storeLocation);
        if (dataDir.isPresent()) {
            return loadOrCreate(dataDir.get());
        }
        if (SHARED_SCHEMES.contains(scheme)) {
            throw new KeyException("the store " + scheme + ": is shared by several servers, so each needs the same master key: set "
                    + VARIABLE + " (generate one with: openssl rand -base64 32)");
        }
        throw new KeyException("cannot tell where the store '" + scheme + ":' keeps its data, so no master key can be generated"
                + " for it: set " + VARIABLE);
    }

    /** The data directory of a single-machine store location: an SQLite file's folder, a JSONL store's folder. */
    public static Optional<Path> dataDirectoryOf(String storeLocation) {
        String scheme = schemeOf(storeLocation);
        String rest = storeLocation.substring(storeLocation.indexOf(':') + 1);
        if (rest.isBlank()) {
            return Optional.empty();
        }
        return switch (scheme) {
            case "sqlite" -> Optional.of(Path.of(rest).toAbsolutePath().getParent());
            case "jsonl" -> Optional.of(Path.of(rest).toAbsolutePath());
            default -> Optional.empty();
        };
    }

    private static String schemeOf(String storeLocation) {
        int colon = storeLocation == null ? -1 : storeLocation.indexOf(':');
        if (colon < 1) {
            throw new KeyException("store location must start with a scheme such as sqlite: — got '" + storeLocation + "'");
        }
        return storeLocation.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /**
     * The master key kept in {@code <dataDir>/master.key}, generated there (owner-only permissions) on first use with a
     * warning that it guards every vault and must be backed up. Two processes starting at once end up with one key.
     */
    public static KeyRing loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        try {
            Files.createDirectories(dataDir);
            MasterKey key = MasterKey.generate();
            Path tmp = Files.createTempFile(dataDir, ".master", ".tmp", ownerOnly(dataDir));
            try {
                Files.writeString(tmp, "# Parley master key: it guards every vault in this directory. Back it up apart from the data.\n"
                        + key.encode() + "\n", StandardCharsets.UTF_8);
                try {
                    // A hard link publishes the complete file or nothing, and fails if another process was first.
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException raced) {
                    return read(file);
                } catch (IOException noHardLinks) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            LOG.warn("Generated a new master key in {}. It guards every vault (the encrypted originals of sanitised sessions) in"
                    + " this data directory: back it up apart from the data, because without it no sanitised session can be"
                    + " restored. Set {} to manage the key yourself.", file, VARIABLE);
            return KeyRing.of(key);
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        } catch (IOException e) {
            throw new KeyException("cannot create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private static KeyRing read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyException("cannot read the master key file " + file + ": " + e.getMessage(), e);
        }
        StringBuilder keys = new StringBuilder();
        for (String line : content.split("\n")) {
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                keys.append(keys.isEmpty() ? "" : ",").append(text);
            }
        }
        return KeyRing.parse(keys.toString(), "the master key file " + file);
    }
}
