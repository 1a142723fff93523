package dev.parley.store.jsonl;

import dev.parley.StoreException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * Rebuilds the in-memory index from the directory on open: every tenant directory, its logs, and each
 * session file replayed line by line. Names that are not ids (a {@code .git} directory, a README) are
 * left alone; what a crash can leave (a torn last line, an empty new file, a temporary file of an
 * unfinished rewrite) is repaired with a warning; anything else wrong fails with the file and line.
 */
final class Loader {
    private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

    private final Layout layout;
    private final Instant idempotencyCutoff;
    final ConcurrentMap<TenantId, ConcurrentMap<SessionId, SessionData>> sessions = new ConcurrentHashMap<>();
    final ConcurrentMap<TenantId, TenantState> tenants = new ConcurrentHashMap<>();

    private Loader(Layout layout, Instant idempotencyCutoff) {
        this.layout = layout;
        this.idempotencyCutoff = idempotencyCutoff;
    }

    /** Loads everything under the layout's root; idempotency records from before the cutoff are dropped. */
    static Loader load(Layout layout, Instant idempotencyCutoff) {
        Loader loader = new Loader(layout, idempotencyCutoff);
        for (Path dir : list(layout.root())) {
            Optional<TenantId> tenant = Files.isDirectory(dir) ? Layout.tenantOf(dir) : Optional.empty();
            if (tenant.isPresent()) {
                loader.loadTenant(tenant.get());
            }
        }
        return loader;
    }

    private void loadTenant(TenantId tenant) {
        tenants.put(tenant, TenantState.load(layout, tenant));
        Path dir = layout.sessionsDir(tenant);
        if (!Files.isDirectory(dir)) {
            return;
        }
        ConcurrentMap<SessionId, SessionData> loaded = new ConcurrentHashMap<>();
        for (Path file : list(dir)) {
            if (LogFile.isTemporary(file)) {
                LOG.warn("{}: removed the temporary file of a rewrite that did not finish; the session file is intact", file);
                delete(file);
                continue;
            }
            Optional<SessionId> id = Layout.sessionOf(file);
            if (id.isPresent()) {
                loadSession(tenant, id.get(), file).ifPresent(data -> loaded.put(data.id, data));
            }
        }
        if (!loaded.isEmpty()) {
            sessions.put(tenant, loaded);
        }
    }

    private Optional<SessionData> loadSession(TenantId tenant, SessionId id, Path file) {
        SessionData data = new SessionData(id);
        LogFile log = LogFile.load(file, (line, number) -> {
            Change change = SessionLines.decode(line);
            if (!change.info().tenant().equals(tenant)) {
                throw new IllegalArgumentException("the line holds a session of tenant " + change.info().tenant()
                        + ", but the file lies in the directory of tenant " + tenant);
            }
            data.check(change);
            data.apply(change);
        });
        if (data.info() == null) {
            LOG.warn("{}: removed an empty session file left by a creation that did not finish", file);
            log.delete();
            return Optional.empty();
        }
        data.attach(log);
        data.dropIdempotencyBefore(idempotencyCutoff);
        return Optional.of(data);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted().toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
