package dev.parley.context;

import dev.parley.NotFoundException;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads a context needs from one session: point lookups, backward pages of a path, forward pages by seq. Reads
 * that a path the caller has already read covers (see {@link ContextBuilder#source(dev.parley.domain.SessionInfo,
 * java.util.function.Supplier, List)}) are served from it instead of the store.
 */
final class History {
    private final SessionStore store;
    private final TenantId tenant;
    private final SessionId session;
    /** A path from a root, oldest first, as the caller read it; empty when there is none. */
    private final List<Entry> known;
    /** Where each entry of {@link #known} is in it. */
    private final Map<EntryId, Integer> knownAt;

    History(SessionStore store, TenantId tenant, SessionId session) {
        this(store, tenant, session, List.of());
    }

    History(SessionStore store, TenantId tenant, SessionId session, List<Entry> known) {
        this.store = store;
        this.tenant = tenant;
        this.session = session;
        this.known = known;
        this.knownAt = new HashMap<>();
        for (int i = 0; i < known.size(); i++) {
            knownAt.put(known.get(i).id(), i);
        }
    }

    Optional<Entry> find(EntryId id) {
        Integer at = knownAt.get(id);
        return at != null ? Optional.of(known.get(at)) : store.entry(tenant, session, id);
    }

    Entry entry(EntryId id) {
        return find(id).orElseThrow(() -> new NotFoundException("no entry " + id + " in session " + session));
    }

    /** The last {@code limit} entries of the path ending at {@code head}, oldest first. */
    List<Entry> path(EntryId head, int limit) {
        Integer at = knownAt.get(head);
        if (at != null) {
            // The known path starts at a root, so every entry before the head's position is the head's own path.
            return known.subList(Math.max(0, at + 1 - limit), at + 1);
        }
        return store.path(tenant, session, head, limit);
    }

    /** Up to {@code limit} entries written after {@code seq}, in seq order, on any branch. */
    List<Entry> after(long seq, int limit) {
        return store.entries(tenant, session, seq, limit);
    }
}
