package dev.parley.api;

import dev.parley.CloneMode;
import dev.parley.SessionSpec;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.store.Page;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The sessions of one tenant: the session API, the same whether the sessions live in this process
 * ({@link dev.parley.Parley} over a store) or on a Parley server ({@code dev.parley.client.ParleyClient}).
 * Code written against {@code Sessions} and {@link SessionHandle} runs unchanged on either.
 *
 * <p>What only makes sense next to the store is not here and stays on {@code Parley}: other tenants
 * ({@code forTenant}), sweeping expired sessions (a server runs its own sweeper), tenant-wide analytics and
 * state ({@code appState}, {@code userState}), and store images. Errors are the same typed exceptions either
 * way ({@link dev.parley.NotFoundException}, {@link dev.parley.ConflictException},
 * {@link dev.parley.InvalidInputException} …); a remote implementation adds its own for transport and access.
 */
public interface Sessions extends AutoCloseable {

    /** Creates a session; a taken id is a {@link dev.parley.ConflictException}. */
    SessionHandle create(SessionSpec spec);

    /** A session with a generated, unguessable id for the anonymous user. */
    default SessionHandle create() {
        return create(SessionSpec.builder().build());
    }

    /** A handle on branch {@code main}; {@link dev.parley.NotFoundException} "no session X" if there is none. */
    SessionHandle open(SessionId id);

    default SessionHandle open(String id) {
        return open(SessionId.of(id));
    }

    /** A handle on branch {@code main}, or empty if there is no such session (or it expired). */
    Optional<? extends SessionHandle> find(SessionId id);

    boolean exists(SessionId id);

    /** Deletes a session and everything it holds; false if there was none. */
    boolean delete(SessionId id);

    /** One page of the tenant's sessions (one user's if {@code user} is given), newest first; pass {@link Page#nextCursor()} on. */
    Page<SessionInfo> list(UserId user, String cursor, int limit);

    /** Erases a user: all their sessions, user-scope state, budgets and keys. Returns the sessions deleted. */
    int eraseUser(UserId user);

    /** The session as a versioned Parley JSON document (vault rows stay encrypted). */
    String exportJson(SessionId id);

    /**
     * Imports a Parley JSON document into this tenant, under {@code asId} if given (else the document's id).
     * A corrupt document, or one of a newer format version, is refused with a clear error and nothing is written.
     */
    SessionHandle importJson(String json, SessionId asId);

    /**
     * A new session copying another: the whole history ({@link CloneMode#FULL}), optionally cut at an entry
     * (only the path up to it), or only the initial context ({@link CloneMode#INITIAL}); {@code newId} may be null.
     */
    SessionHandle clone(SessionId source, CloneMode mode, EntryId at, SessionId newId);

    /** A new session interleaving the main paths of {@code a} and {@code b} by time, whole turns at a time. */
    SessionHandle merge(SessionId a, SessionId b, SessionId newId);

    /** Writes the session's export to a file (atomically: a temporary file renamed into place). */
    default void save(SessionId id, Path file) {
        ExportFiles.write(file, exportJson(id));
    }

    /** Imports a session written by {@link #save}. */
    default SessionHandle load(Path file) {
        return importJson(ExportFiles.read(file), null);
    }

    /** Releases what this object holds (a store it owns, or HTTP connections). */
    @Override
    void close();
}
