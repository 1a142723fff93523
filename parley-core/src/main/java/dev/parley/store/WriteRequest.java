package dev.parley.store;

import dev.parley.domain.EntryId;
import dev.parley.domain.Names;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One atomic write to a session: entries appended as one chain, then pointer operations in order,
 * a patch of the session row, vault rows and counter increments — all or nothing, under optional
 * conditions and an optional idempotency key. Every store applies it through {@link WritePlanner},
 * so the semantics live in one place.
 *
 * @param at        the time of the write (entries' and checkpoints' timestamps come from their drafts)
 * @param appendAt  where the first entry attaches; required when {@code entries} is not empty
 * @param ifVersion the session must be at this version, or the write conflicts
 * @param ifHead    a branch must have this head, or the write conflicts
 */
public record WriteRequest(Instant at, Target appendAt, List<EntryDraft> entries, List<PointerOp> ops,
                           Long ifVersion, HeadCondition ifHead, Idempotency idempotency, SessionPatch patch,
                           List<VaultRow> vaultRows, Map<String, Long> counters) {

    /** The branch must have {@code head} as its head ({@code null}: the branch must be empty). */
    public record HeadCondition(String branch, EntryId head) {
        public HeadCondition {
            Names.branch(branch);
        }
    }

    public WriteRequest {
        Objects.requireNonNull(at, "at");
        entries = List.copyOf(Objects.requireNonNullElse(entries, List.of()));
        ops = List.copyOf(Objects.requireNonNullElse(ops, List.of()));
        patch = Objects.requireNonNullElse(patch, SessionPatch.NONE);
        vaultRows = List.copyOf(Objects.requireNonNullElse(vaultRows, List.of()));
        counters = Map.copyOf(Objects.requireNonNullElse(counters, Map.of()));
        if (!entries.isEmpty() && appendAt == null) {
            throw new IllegalArgumentException("appendAt is required when appending entries");
        }
        if (appendAt instanceof Target.Appended) {
            throw new IllegalArgumentException("entries cannot attach to entries of the same write by index");
        }
    }

    public static Builder builder(Instant at) {
        return new Builder(at);
    }

    /** Builds a request; the common case is {@code builder(now).append("main", drafts).build()}. */
    public static final class Builder {
        private final Instant at;
        private Target appendAt;
        private final List<EntryDraft> entries = new ArrayList<>();
        private final List<PointerOp> ops = new ArrayList<>();
        private Long ifVersion;
        private HeadCondition ifHead;
        private Idempotency idempotency;
        private SessionPatch patch = SessionPatch.NONE;
        private final List<VaultRow> vaultRows = new ArrayList<>();
        private final Map<String, Long> counters = new HashMap<>();

        private Builder(Instant at) {
            this.at = at;
        }

        /** Appends to the head of {@code branch} and moves the branch to the last appended entry. */
        public Builder append(String branch, List<EntryDraft> drafts) {
            appendAt = Target.head(branch);
            entries.addAll(drafts);
            ops.add(new PointerOp.SetBranch(branch, Target.lastAppended(), PointerOp.Mode.MOVE));
            return this;
        }

        /** Appends after {@code parent} without moving any pointer; add the ops you need. */
        public Builder appendAt(Target parent, List<EntryDraft> drafts) {
            appendAt = parent;
            entries.addAll(drafts);
            return this;
        }

        public Builder op(PointerOp op) {
            ops.add(op);
            return this;
        }

        /** Inserts an op before those already added (used to preserve a head before an append moves it). */
        public Builder opFirst(PointerOp op) {
            ops.addFirst(op);
            return this;
        }

        public Builder ifVersion(Long version) {
            this.ifVersion = version;
            return this;
        }

        public Builder ifHead(String branch, EntryId head) {
            this.ifHead = new HeadCondition(branch, head);
            return this;
        }

        public Builder idempotency(Idempotency idem) {
            this.idempotency = idem;
            return this;
        }

        public Builder patch(SessionPatch p) {
            this.patch = p;
            return this;
        }

        public Builder vault(List<VaultRow> rows) {
            vaultRows.addAll(rows);
            return this;
        }

        public Builder counter(String name, long delta) {
            counters.merge(name, delta, Long::sum);
            return this;
        }

        public WriteRequest build() {
            return new WriteRequest(at, appendAt, entries, ops, ifVersion, ifHead, idempotency, patch, vaultRows, counters);
        }
    }
}
