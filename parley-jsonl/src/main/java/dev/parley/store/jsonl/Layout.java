package dev.parley.store.jsonl;

import dev.parley.InvalidInputException;
import dev.parley.StoreException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where files live: {@code <dir>/<tenant>/sessions/<session>.jsonl} and the tenant's logs
 * {@code <dir>/<tenant>/{state,budgets,keys}.jsonl}. Ids are validated by their types (no separators,
 * no leading dot, at most 128 characters); every path is checked again here to resolve to a direct
 * child of the directory it belongs in, so no id can ever name a file elsewhere.
 */
final class Layout {
    static final String SESSIONS = "sessions";
    static final String SUFFIX = ".jsonl";

    private final Path root;
    private final Set<Path> ensured = ConcurrentHashMap.newKeySet();
    private final ReentrantLock creating = new ReentrantLock();

    Layout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path tenantDir(TenantId tenant) {
        return child(root, tenant.value(), "tenant id");
    }

    Path sessionsDir(TenantId tenant) {
        return child(tenantDir(tenant), SESSIONS, "tenant id");
    }

    Path sessionFile(TenantId tenant, SessionId id) {
        return child(sessionsDir(tenant), id.value() + SUFFIX, "session id");
    }

    /** One of a tenant's logs: {@code state}, {@code budgets} or {@code keys}. */
    Path tenantLog(TenantId tenant, String name) {
        return child(tenantDir(tenant), name + SUFFIX, "tenant id");
    }

    /** The session a file in a sessions directory holds, if its name is one this store writes. */
    static Optional<SessionId> sessionOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SessionId.of(name.substring(0, name.length() - SUFFIX.length())));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** The tenant a directory under the root belongs to, if its name is a tenant id (so {@code .git} is not). */
    static Optional<TenantId> tenantOf(Path dir) {
        try {
            return Optional.of(TenantId.of(dir.getFileName().toString()));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** Creates the root directory (and its parents) if missing, durably. */
    void ensureRoot() {
        if (Files.isDirectory(root)) {
            return;
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StoreException("cannot create the store directory " + root + ": " + e.getMessage(), e);
        }
        if (root.getParent() != null) {
            LogFile.syncDirectory(root.getParent());
        }
    }

    /**
     * Creates {@code dir} and any missing parents under the root, each new directory entry made durable
     * before anyone writes into it (hence one creator at a time; this runs once per directory).
     */
    void ensureDirectory(Path dir) {
        if (ensured.contains(dir)) {
            return;
        }
        if (!dir.startsWith(root)) {
            throw new IllegalStateException(dir + " is outside " + root);
        }
        creating.lock();
        try {
            Path current = root;
            for (Path part : root.relativize(dir)) {
                current = current.resolve(part);
                if (!Files.isDirectory(current)) {
                    try {
                        Files.createDirectory(current);
                    } catch (IOException e) {
                        throw new StoreException("cannot create directory " + current + ": " + e.getMessage(), e);
                    }
                    LogFile.syncDirectory(current.getParent());
                }
            }
            ensured.add(dir);
        } finally {
            creating.unlock();
        }
    }

    /** {@code parent.resolve(name)}, refused unless it is a direct child of {@code parent}. */
    static Path child(Path parent, String name, String what) {
        if (name.indexOf('\0') < 0) {
            Path resolved = parent.resolve(name).normalize();
            if (parent.equals(resolved.getParent())) {
                return resolved;
            }
        }
        throw new InvalidInputException(what, what + " does not name a file inside " + parent);
    }
}
