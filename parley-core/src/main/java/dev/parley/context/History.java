package dev.parley.context;

import dev.parley.NotFoundException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionStore;

import java.util.List;
import java.util.Optional;

/** The reads a context needs from one session: point lookups, backward pages of a path, forward pages by seq. */
final class History {
    private final SessionStore store;
    private final TenantId tenant;
    private final SessionId session;

    History(SessionStore store, TenantId tenant, SessionId session) {
        this.store = store;
        this.tenant = tenant;
        this.session = session;
    }

    Optional<Entry> find(EntryId id) {
        return store.entry(tenant, session, id);
    }

    Entry entry(EntryId id) {
        return find(id).orElseThrow(() -> new NotFoundException("no entry " + id + " in session " + session));
    }

    /** The last {@code limit} entries of the path ending at {@code head}, oldest first. */
    List<Entry> path(EntryId head, int limit) {
        return store.path(tenant, session, head, limit);
    }

    /** Up to {@code limit} entries written after {@code seq}, in seq order, on any branch. */
    List<Entry> after(long seq, int limit) {
        return store.entries(tenant, session, seq, limit);
    }
}
