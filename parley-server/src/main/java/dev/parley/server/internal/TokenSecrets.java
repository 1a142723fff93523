package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.security.SessionTokens;
import dev.parley.server.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the secrets signing session tokens come from: the {@code tokenSecret} setting; else, on one machine, a file
 * {@code token-secret} in the data directory, generated on first start; else (a memory store) a random secret that
 * lives as long as the process. A server on a shared store (PostgreSQL, Redis) must be given the secret, so every
 * server accepts the tokens any of them issued.
 */
final class TokenSecrets {
    static final String FILE = "token-secret";
    private static final Logger LOG = LoggerFactory.getLogger(TokenSecrets.class);

    private TokenSecrets() {
    }

    /** The session tokens signed with {@code secrets} (from {@link #secrets}). */
    static SessionTokens tokens(String secrets, ServerConfig config, Clock clock) {
        return SessionTokens.parse(secrets, "tokenSecret (PARLEY_TOKEN_SECRET)").clock(clock).maxTtl(config.tokenMaxTtl()).build();
    }

    /** The configured or generated secrets, {@code [ID:]SECRET[,…]}; other server keys are derived from them. */
    static String secrets(ServerConfig config) {
        String secrets;
        if (config.tokenSecret().isPresent()) {
            secrets = config.tokenSecret().get();
        } else {
            Optional<Path> dir = dataDir(config);
            String scheme = config.store().substring(0, Math.max(0, config.store().indexOf(':'))).toLowerCase(Locale.ROOT);
            if (dir.isPresent()) {
                secrets = fromFile(dir.get().resolve(FILE));
            } else if (scheme.equals("memory")) {
                secrets = SessionTokens.generateSecret();
            } else {
                throw new InvalidInputException("tokenSecret", "a server on a shared store (" + scheme + ") needs the session-token "
                        + "secret in PARLEY_TOKEN_SECRET (the same on every server), e.g. from: openssl rand -base64 32");
            }
        }
        return secrets;
    }

    /** The data directory: configured, else the directory of an SQLite file or a JSONL directory; none for other stores. */
    static Optional<Path> dataDir(ServerConfig config) {
        if (config.dataDir().isPresent()) {
            return config.dataDir();
        }
        String store = config.store();
        String lower = store.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sqlite:")) {
            Path parent = Path.of(store.substring("sqlite:".length())).toAbsolutePath().normalize().getParent();
            return Optional.ofNullable(parent);
        }
        if (lower.startsWith("jsonl:")) {
            return Optional.of(Path.of(store.substring("jsonl:".length())).toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    private static String fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.getParent());
            String secret = SessionTokens.generateSecret();
            try {
                if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException startedTogether) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            LOG.warn("generated the session-token secret into {}; servers sharing a store need PARLEY_TOKEN_SECRET instead", file);
            return secret;
        } catch (IOException e) {
            throw new InvalidInputException("dataDir", "cannot read or create the session-token secret " + file + ": "
                    + e.getMessage());
        }
    }
}
