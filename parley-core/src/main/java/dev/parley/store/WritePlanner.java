package dev.parley.store;

import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Names;
import dev.parley.domain.SessionInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The semantics of a write, in one place. A store opens its transaction, offers a {@link WriteContext}
 * over it, and persists the returned {@link WritePlan}; conditions, idempotency, pointer rules and
 * linking are decided here, identically for every backend. Throws (and so changes nothing) on a
 * failed condition, a missing branch or entry, or a reused idempotency key.
 */
public final class WritePlanner {
    private WritePlanner() {
    }

    /** The entries and branch of a new session. */
    public static WritePlan planCreate(NewSession spec) {
        List<Entry> entries = new ArrayList<>();
        Entry previous = null;
        long seq = 0;
        for (EntryDraft draft : spec.initialEntries()) {
            previous = EntryLinker.link(previous, ++seq, draft);
            entries.add(previous);
        }
        EntryId head = previous == null ? null : previous.id();
        SessionInfo info = new SessionInfo(spec.tenant(), spec.id(), spec.user(), spec.at(), spec.at(),
                SessionInfo.expiryAt(spec.at(), spec.absoluteExpiresAt(), spec.idleTtl()), spec.absoluteExpiresAt(),
                spec.idleTtl(), spec.metadata(), 1, seq, Names.MAIN, head, spec.settings());
        Map<String, Branch> branches = Map.of(Names.MAIN, new Branch(Names.MAIN, head));
        return new WritePlan(info, entries, branches, Set.of(), List.of(), Set.of(), List.of(), Map.of(), null,
                new WriteResult(1, entries, false), false);
    }


    public static WritePlan plan(WriteContext ctx, WriteRequest req) {
        SessionSnapshot snapshot = ctx.snapshot();
        SessionInfo info = snapshot.info();
        String sessionName = "session " + info.id();

        IdempotencyRecord previous = null;
        if (req.idempotency() != null) {
            previous = ctx.idempotency(req.idempotency().key()).orElse(null);
            if (previous != null && !previous.requestHash().equals(req.idempotency().requestHash())) {
                throw new IdempotencyMismatchException("idempotency key '" + req.idempotency().key()
                        + "' was already used for a different request on " + sessionName);
            }
            if (previous != null && !previous.pending()) {
                List<Entry> replayed = new ArrayList<>();
                for (EntryId id : previous.entries()) {
                    ctx.entry(id).ifPresent(replayed::add);
                }
                return new WritePlan(info, List.of(), Map.of(), Set.of(), List.of(), Set.of(), List.of(), Map.of(), null,
                        new WriteResult(info.version(), replayed, true), true);
            }
        }

        if (req.ifVersion() != null && req.ifVersion() != info.version()) {
            throw new ConflictException(ConflictException.Reason.VERSION,
                    sessionName + " is at version " + info.version() + ", not " + req.ifVersion());
        }
        Map<String, Branch> branches = new LinkedHashMap<>(snapshot.branches());
        if (req.ifHead() != null) {
            Branch branch = branches.get(req.ifHead().branch());
            EntryId actual = branch == null ? null : branch.head();
            if (branch == null || !Objects.equals(actual, req.ifHead().head())) {
                throw new ConflictException(ConflictException.Reason.HEAD, "branch " + req.ifHead().branch() + " of "
                        + sessionName + " has head " + (branch == null ? "(no such branch)" : Objects.toString(actual, "(empty)"))
                        + ", not " + Objects.toString(req.ifHead().head(), "(empty)"));
            }
        }

        // Append the chain.
        List<Entry> appended = new ArrayList<>();
        Map<EntryId, Entry> known = new HashMap<>();
        long seq = info.lastSeq();
        if (!req.entries().isEmpty()) {
            EntryId parentId = resolve(req.appendAt(), branches, appended, ctx, known, sessionName);
            Entry parent = parentId == null ? null : known.get(parentId);
            for (EntryDraft draft : req.entries()) {
                parent = EntryLinker.link(parent, ++seq, draft);
                appended.add(parent);
                known.put(parent.id(), parent);
            }
        }

        // Automatic checkpoints: when the appended chain crosses a multiple of the session's interval.
        List<PointerOp> ops = new ArrayList<>(req.ops());
        int every = checkpointInterval(info);
        if (every > 0 && !appended.isEmpty()) {
            int before = appended.getFirst().messageCount()
                    - (appended.getFirst().kind() == dev.parley.domain.EntryKind.MESSAGE ? 1 : 0);
            int after = appended.getLast().messageCount();
            if (after / every > before / every) {
                ops.add(new PointerOp.AddCheckpoint(null, Target.lastAppended(), null, req.at()));
            }
        }

        // Pointer operations, in order, over a working copy of the pointers.
        Set<String> deletedBranches = new HashSet<>();
        List<Checkpoint> newCheckpoints = new ArrayList<>();
        Set<String> deletedCheckpoints = new HashSet<>();
        Set<EntryId> newlyMarked = new HashSet<>();
        for (PointerOp op : ops) {
            switch (op) {
                case PointerOp.SetBranch set -> {
                    boolean exists = branches.containsKey(set.name());
                    if (set.mode() == PointerOp.Mode.CREATE && exists) {
                        throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                                "branch " + set.name() + " already exists in " + sessionName);
                    }
                    if (set.mode() == PointerOp.Mode.MOVE && !exists) {
                        throw new NotFoundException("no branch " + set.name() + " in " + sessionName);
                    }
                    EntryId head = resolve(set.target(), branches, appended, ctx, known, sessionName);
                    branches.put(set.name(), new Branch(set.name(), head));
                    deletedBranches.remove(set.name());
                }
                case PointerOp.DeleteBranch delete -> {
                    if (delete.name().equals(Names.MAIN)) {
                        throw new InvalidInputException("branch name", "branch main cannot be deleted");
                    }
                    if (branches.remove(delete.name()) == null) {
                        throw new NotFoundException("no branch " + delete.name() + " in " + sessionName);
                    }
                    deletedBranches.add(delete.name());
                }
                case PointerOp.AddCheckpoint add -> {
                    EntryId entry = resolve(add.target(), branches, appended, ctx, known, sessionName);
                    if (entry == null) {
                        throw new InvalidInputException("checkpoint", "a checkpoint needs an entry; the branch is empty");
                    }
                    String name = add.name() == null ? Names.autoCheckpoint(entry) : add.name();
                    Checkpoint existing = findCheckpoint(name, ctx, newCheckpoints, deletedCheckpoints);
                    if (existing != null) {
                        if (name.startsWith(Names.AUTO_PREFIX) && existing.entry().equals(entry)) {
                            continue;
                        }
                        throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS,
                                "checkpoint " + name + " already exists in " + sessionName);
                    }
                    newCheckpoints.add(new Checkpoint(name, entry, add.note(), add.at()));
                    newlyMarked.add(entry);
                }
                case PointerOp.DeleteCheckpoint delete -> {
                    if (findCheckpoint(delete.name(), ctx, newCheckpoints, deletedCheckpoints) == null) {
                        throw new NotFoundException("no checkpoint " + delete.name() + " in " + sessionName);
                    }
                    newCheckpoints.removeIf(c -> c.name().equals(delete.name()));
                    deletedCheckpoints.add(delete.name());
                }
                case PointerOp.PreserveHead preserve -> {
                    Branch branch = branches.get(preserve.branch());
                    if (branch == null) {
                        throw new NotFoundException("no branch " + preserve.branch() + " in " + sessionName);
                    }
                    EntryId head = branch.head();
                    if (head == null || newlyMarked.contains(head)) {
                        continue;
                    }
                    boolean otherBranch = branches.values().stream()
                            .anyMatch(b -> !b.name().equals(branch.name()) && head.equals(b.head()));
                    if (otherBranch || ctx.hasCheckpointAt(head)) {
                        continue;
                    }
                    String name = Names.autoCheckpoint(head);
                    if (findCheckpoint(name, ctx, newCheckpoints, deletedCheckpoints) == null) {
                        newCheckpoints.add(new Checkpoint(name, head, null, preserve.at()));
                        newlyMarked.add(head);
                    }
                }
            }
        }

        // The session row.
        SessionPatch patch = req.patch();
        Map<String, String> metadata = new HashMap<>(info.metadata());
        metadata.putAll(patch.putMetadata());
        patch.removeMetadata().forEach(metadata::remove);
        Map<String, String> settings = new HashMap<>(info.settings());
        settings.putAll(patch.putSettings());
        patch.removeSettings().forEach(settings::remove);
        SessionInfo next = info.withMetadata(metadata).withSettings(settings).withLastSeq(seq);
        if (patch.expiry() != null) {
            next = next.withExpiry(patch.expiry().absoluteExpiresAt(), patch.expiry().idleTtl());
        }
        if (patch.currentBranch() != null) {
            if (!branches.containsKey(patch.currentBranch())) {
                throw new NotFoundException("no branch " + patch.currentBranch() + " in " + sessionName);
            }
            next = next.withCurrentBranch(patch.currentBranch());
        }
        if (!branches.containsKey(next.currentBranch())) {
            next = next.withCurrentBranch(Names.MAIN);
        }
        next = next.touched(req.at());

        // Vault rows: unique on placeholder and on lookup, against the session and within the write.
        Set<String> placeholders = new HashSet<>();
        Set<String> lookups = new HashSet<>();
        for (VaultRow row : req.vaultRows()) {
            if (!placeholders.add(row.placeholder()) || ctx.vaultHasPlaceholder(row.placeholder())) {
                throw new ConflictException(ConflictException.Reason.VAULT,
                        "placeholder " + row.placeholder() + " is already issued in " + sessionName);
            }
            if (!lookups.add(row.lookup()) || ctx.vaultHasLookup(row.lookup())) {
                throw new ConflictException(ConflictException.Reason.VAULT,
                        "a value of this write already has a placeholder in " + sessionName);
            }
        }

        IdempotencyRecord record = req.idempotency() == null ? null : new IdempotencyRecord(req.idempotency().key(),
                req.idempotency().requestHash(), appended.stream().map(Entry::id).toList(), req.at(), false);
        Map<String, Branch> changedBranches = new LinkedHashMap<>();
        branches.forEach((name, branch) -> {
            if (!branch.equals(snapshot.branches().get(name))) {
                changedBranches.put(name, branch);
            }
        });
        return new WritePlan(next, appended, changedBranches, deletedBranches, newCheckpoints, deletedCheckpoints,
                req.vaultRows(), req.counters(), record, new WriteResult(next.version(), appended, false), false);
    }

    /** Settings key of the automatic checkpoint interval (messages on a path; absent or 0: off). */
    public static final String CHECKPOINT_EVERY = "checkpointEvery";

    private static int checkpointInterval(SessionInfo info) {
        String value = info.settings().get(CHECKPOINT_EVERY);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Checkpoint findCheckpoint(String name, WriteContext ctx, List<Checkpoint> added, Set<String> deleted) {
        for (Checkpoint c : added) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        if (deleted.contains(name)) {
            return null;
        }
        return ctx.checkpoint(name).orElse(null);
    }

    private static EntryId resolve(Target target, Map<String, Branch> branches, List<Entry> appended, WriteContext ctx,
                                   Map<EntryId, Entry> known, String sessionName) {
        return switch (target) {
            case Target.Head head -> {
                Branch branch = branches.get(head.branch());
                if (branch == null) {
                    throw new NotFoundException("no branch " + head.branch() + " in " + sessionName);
                }
                if (branch.head() != null && !known.containsKey(branch.head())) {
                    known.put(branch.head(), ctx.entry(branch.head()).orElseThrow(() ->
                            new IllegalStateException("branch " + head.branch() + " points at a missing entry")));
                }
                yield branch.head();
            }
            case Target.At at -> {
                if (!known.containsKey(at.entry())) {
                    known.put(at.entry(), ctx.entry(at.entry()).orElseThrow(() ->
                            new NotFoundException("no entry " + at.entry() + " in " + sessionName)));
                }
                yield at.entry();
            }
            case Target.Root root -> null;
            case Target.Appended index -> {
                if (appended.isEmpty()) {
                    throw new IllegalArgumentException("the write appends no entries to point at");
                }
                int i = index.index() < 0 ? appended.size() + index.index() : index.index();
                if (i < 0 || i >= appended.size()) {
                    throw new IllegalArgumentException("appended index " + index.index() + " out of range");
                }
                yield appended.get(i).id();
            }
        };
    }
}
