package dev.parley.store.redis;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.SessionInfo;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.VaultRow;
import io.lettuce.core.ScriptOutputType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The arguments of one run of {@code write.lua}: a write, a redaction, a creation or an import of one session. */
final class Mutation {
    enum Outcome { OK, RETRY, EXISTS, VAULT }

    private final String mode;
    private final String uid;
    private final String expected;
    private String idemKey = "";
    private String idemExpected = "";
    private String idemNew = "";
    private String idemScore = "";
    private String idemCutoff = "";
    private long ttl = -1;
    private final List<String> fields = new ArrayList<>();
    private final List<String> entries = new ArrayList<>();
    private final List<String> branches = new ArrayList<>();
    private final List<String> deletedBranches = new ArrayList<>();
    private final List<String> deletedCheckpoints = new ArrayList<>();
    private final List<String> checkpoints = new ArrayList<>();
    private final List<String> vault = new ArrayList<>();
    private final List<String> counters = new ArrayList<>();

    private Mutation(String mode, String uid, String expected) {
        this.mode = mode;
        this.uid = uid;
        this.expected = expected;
    }

    /** Changes the session only if it is still incarnation {@code uid} at {@code version}. */
    static Mutation update(String uid, long version) {
        return new Mutation("update", uid, Long.toString(version));
    }

    /** Creates the session as incarnation {@code uid}; an existing one is replaced only if it is {@code replaceUid} (expired). */
    static Mutation create(String uid, String replaceUid) {
        return new Mutation("create", uid, replaceUid == null ? "" : replaceUid);
    }

    /**
     * Stores {@code record} under its key, only if the key still holds {@code expectedRaw} (null: nothing);
     * records older than {@code cutoff} are pruned first.
     */
    Mutation idempotency(String key, String expectedRaw, IdempotencyRecord record, Instant cutoff) {
        idemKey = key;
        idemExpected = expectedRaw == null ? "" : expectedRaw;
        idemCutoff = Long.toString(cutoff.toEpochMilli());
        if (record != null) {
            idemNew = Codec.idempotency(record);
            idemScore = Long.toString(record.at().toEpochMilli());
        }
        return this;
    }

    Mutation ttl(long millis) {
        ttl = millis;
        return this;
    }

    Mutation info(SessionInfo info) {
        Codec.infoFields(info, uid).forEach((field, value) -> {
            fields.add(field);
            fields.add(value);
        });
        return this;
    }

    Mutation entries(Collection<Entry> added) {
        for (Entry e : added) {
            entries.add(Long.toString(e.seq()));
            entries.add(Codec.entry(e));
            entries.add(e.parent() == null ? "" : Long.toString(e.parent().value()));
        }
        return this;
    }

    Mutation branches(Collection<Branch> changed) {
        for (Branch b : changed) {
            branches.add(b.name());
            branches.add(b.head() == null ? "" : Long.toString(b.head().value()));
        }
        return this;
    }

    Mutation deletedBranches(Collection<String> names) {
        deletedBranches.addAll(names);
        return this;
    }

    /** Deletes stored checkpoints; each is given with the entry it marks, to keep the marks counted. */
    Mutation deletedCheckpoints(Collection<Checkpoint> stored) {
        for (Checkpoint c : stored) {
            deletedCheckpoints.add(c.name());
            deletedCheckpoints.add(Long.toString(c.entry().value()));
        }
        return this;
    }

    Mutation checkpoints(Collection<Checkpoint> added) {
        for (Checkpoint c : added) {
            checkpoints.add(c.name());
            checkpoints.add(Codec.checkpoint(c));
            checkpoints.add(Long.toString(c.entry().value()));
        }
        return this;
    }

    Mutation vault(Collection<VaultRow> rows) {
        for (VaultRow row : rows) {
            vault.add(row.placeholder());
            vault.add(row.lookup());
            vault.add(Codec.vaultRow(row));
        }
        return this;
    }

    Mutation counters(Map<String, Long> deltas) {
        deltas.forEach((name, delta) -> {
            counters.add(name);
            counters.add(Long.toString(delta));
        });
        return this;
    }

    String[] args() {
        List<String> args = new ArrayList<>(List.of(mode, uid, expected, idemKey, idemExpected, idemNew, idemScore, idemCutoff,
                Long.toString(ttl)));
        section(args, fields, 2);
        section(args, entries, 3);
        section(args, branches, 2);
        section(args, deletedBranches, 1);
        section(args, deletedCheckpoints, 2);
        section(args, checkpoints, 3);
        section(args, vault, 3);
        section(args, counters, 2);
        return args.toArray(String[]::new);
    }

    private static void section(List<String> args, List<String> items, int width) {
        args.add(Integer.toString(items.size() / width));
        args.addAll(items);
    }

    Outcome apply(Backend backend, SessionKeys keys, String what) {
        String reply = backend.redis().run(Script.WRITE, ScriptOutputType.VALUE, what, keys.all(), args());
        return Outcome.valueOf(reply);
    }
}
