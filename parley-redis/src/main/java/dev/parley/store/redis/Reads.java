package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.VaultRow;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads of one session. Each is a script that returns the session's expiry with the data, so an
 * expired session or one of another tenant is "not found" in the same step that reads it. Long reads
 * go in chunks, so one request never holds Redis for long.
 */
final class Reads {
    /** Entries one script call walks or scans at most. */
    static final int CHUNK = 1000;

    private final Backend backend;

    Reads(Backend backend) {
        this.backend = backend;
    }

    private SessionKeys keys(TenantId tenant, SessionId id) {
        return backend.keys().session(tenant, id);
    }

    Optional<SessionSnapshot> find(TenantId tenant, SessionId id) {
        SessionKeys k = keys(tenant, id);
        List<Object> reply = read(k, "read session " + id, new String[]{k.info(), k.branches()}, "row");
        if (reply == null) {
            return Optional.empty();
        }
        SessionInfo info = Codec.info(Codec.pairs(reply.get(1)));
        return Optional.of(new SessionSnapshot(info, Codec.branches(Codec.pairs(reply.get(2)))));
    }

    /** Runs {@code read.lua}; null when the session does not exist or has expired. */
    private List<Object> read(SessionKeys k, String what, String[] keys, String... args) {
        List<Object> reply = backend.redis().run(Script.READ, ScriptOutputType.MULTI, what, keys, args);
        if (reply.isEmpty() || Codec.expired((String) reply.getFirst(), backend.now())) {
            return null;
        }
        return reply;
    }

    private List<Object> require(SessionId id, SessionKeys k, String what, String[] keys, String... args) {
        List<Object> reply = read(k, what, keys, args);
        if (reply == null) {
            throw new NotFoundException("no session " + id);
        }
        return reply;
    }

    Optional<Entry> entry(TenantId tenant, SessionId id, EntryId entry) {
        backend.access().read(1);
        List<Entry> found = walk(tenant, id, entry, 1, false);
        return found.stream().findFirst();
    }

    List<Entry> path(TenantId tenant, SessionId id, EntryId head, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        Objects.requireNonNull(head, "head");
        List<Entry> path = walk(tenant, id, head, limit, true);
        backend.access().read(path.size());
        Collections.reverse(path);
        return path;
    }

    /** Up to {@code limit} entries from {@code head} towards the root, newest first. */
    private List<Entry> walk(TenantId tenant, SessionId id, EntryId head, int limit, boolean headRequired) {
        SessionKeys k = keys(tenant, id);
        List<Entry> out = new ArrayList<>();
        String next = Long.toString(head.value());
        boolean first = true;
        do {
            int chunk = Math.min(CHUNK, limit - out.size());
            List<Object> reply = backend.redis().run(Script.PATH, ScriptOutputType.MULTI, "read the path of session " + id,
                    new String[]{k.info(), k.entries(), k.parents()}, next, Integer.toString(chunk));
            if (reply.isEmpty() || (first && Codec.expired((String) reply.getFirst(), backend.now()))) {
                throw new NotFoundException("no session " + id);
            }
            if (first && (Long) reply.get(1) == 0L) {
                if (headRequired) {
                    throw new NotFoundException("no entry " + head + " in session " + id);
                }
                return out;
            }
            first = false;
            for (int i = 3; i < reply.size(); i++) {
                out.add(Codec.entry((String) reply.get(i)));
            }
            next = (String) reply.get(2);
        } while (!next.isEmpty() && out.size() < limit);
        return out;
    }

    List<Entry> entries(TenantId tenant, SessionId id, long afterSeq, int limit) {
        if (limit < 0) {
            throw new InvalidInputException("limit", "limit must be >= 0: " + limit);
        }
        SessionKeys k = keys(tenant, id);
        List<Entry> out = new ArrayList<>();
        String after = Long.toString(Math.max(0, afterSeq));
        boolean first = true;
        do {
            int wanted = Math.max(0, limit - out.size());
            List<Object> reply = backend.redis().run(Script.RANGE, ScriptOutputType.MULTI, "read the entries of session " + id,
                    new String[]{k.info(), k.entries()}, after, Integer.toString(wanted), Integer.toString(CHUNK));
            if (reply.isEmpty() || (first && Codec.expired((String) reply.getFirst(), backend.now()))) {
                throw new NotFoundException("no session " + id);
            }
            first = false;
            for (int i = 2; i < reply.size(); i++) {
                out.add(Codec.entry((String) reply.get(i)));
            }
            after = (String) reply.get(1);
        } while (!after.isEmpty() && out.size() < limit);
        backend.access().read(out.size());
        return out;
    }

    Optional<Checkpoint> checkpoint(TenantId tenant, SessionId id, String name) {
        SessionKeys k = keys(tenant, id);
        List<Object> reply = require(id, k, "read checkpoint " + name, new String[]{k.info(), k.checkpoints()}, "field", name);
        return Optional.ofNullable((String) reply.get(1)).map(Codec::checkpoint);
    }

    List<Checkpoint> checkpoints(TenantId tenant, SessionId id) {
        SessionKeys k = keys(tenant, id);
        List<Object> reply = require(id, k, "read checkpoints", new String[]{k.info(), k.checkpoints(), k.checkpointOrder()}, "zorder");
        return reply.subList(1, reply.size()).stream().map(json -> Codec.checkpoint((String) json)).toList();
    }

    List<VaultRow> vault(TenantId tenant, SessionId id) {
        SessionKeys k = keys(tenant, id);
        List<Object> reply = require(id, k, "read the vault", new String[]{k.info(), k.vault(), k.vaultOrder()}, "lorder");
        return reply.subList(1, reply.size()).stream().map(json -> Codec.vaultRow((String) json)).toList();
    }

    Map<String, Long> counters(TenantId tenant, SessionId id) {
        SessionKeys k = keys(tenant, id);
        List<Object> reply = require(id, k, "read counters", new String[]{k.info(), k.counters()}, "hash");
        Map<String, Long> counters = new TreeMap<>();
        Codec.pairs(reply.subList(1, reply.size())).forEach((name, value) -> counters.put(name, Long.parseLong(value)));
        return counters;
    }
}
