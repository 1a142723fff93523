package dev.parley;

import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.store.EntryDraft;
import dev.parley.store.NewSession;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionImages;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.SessionStore;
import dev.parley.store.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Whole-session operations: export to an image, import, clone and merge. Each costs one bulk read and one bulk write. */
final class SessionTransfer {
    private static final int PAGE = 1000;

    private final Parley parley;

    SessionTransfer(Parley parley) {
        this.parley = parley;
    }

    private SessionStore store() {
        return parley.store();
    }

    /** A consistent image as of one snapshot: entries and checkpoints newer than the snapshot are left out. */
    SessionImage export(SessionId id) {
        SessionSnapshot snapshot = store().find(parley.tenant(), id).orElseThrow(() -> new NotFoundException("no session " + id));
        long lastSeq = snapshot.info().lastSeq();
        List<Entry> entries = new ArrayList<>();
        long after = 0;
        while (after < lastSeq) {
            List<Entry> page = store().entries(parley.tenant(), id, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (Entry e : page) {
                if (e.seq() <= lastSeq) {
                    entries.add(e);
                }
            }
            after = page.getLast().seq();
        }
        List<Checkpoint> checkpoints = store().checkpoints(parley.tenant(), id).stream()
                .filter(c -> c.entry().value() <= lastSeq).toList();
        List<Branch> branches = snapshot.branches().values().stream()
                .sorted(java.util.Comparator.comparing(Branch::name)).toList();
        return new SessionImage(snapshot.info(), branches, checkpoints, entries,
                store().vault(parley.tenant(), id), store().counters(parley.tenant(), id));
    }

    Session importImage(SessionImage image) {
        SessionImages.validate(image);
        store().importSession(image);
        return parley.open(image.info().id());
    }

    Session clone(SessionId sourceId, CloneMode mode, EntryId at, SessionId newId) {
        if (mode == CloneMode.INITIAL && at != null) {
            throw new InvalidInputException("at", "a clone of the initial context cannot also be cut at an entry");
        }
        SessionImage source = export(sourceId);
        SessionInfo info = source.info();
        Instant now = parley.now();
        SessionId id = newId == null ? SessionId.random() : newId;
        EntryId head = mode == CloneMode.INITIAL ? info.initialHead() : at;
        List<Entry> entries;
        List<Branch> branches;
        List<Checkpoint> checkpoints;
        String current;
        if (mode == CloneMode.FULL && at == null) {
            entries = source.entries();
            branches = source.branches();
            checkpoints = source.checkpoints();
            current = info.currentBranch();
        } else {
            if (head != null && source.entries().stream().noneMatch(e -> e.id().equals(head))) {
                throw new NotFoundException("no entry " + head + " in session " + sourceId);
            }
            entries = head == null ? List.of() : SessionImages.pathWithin(source.entries(), head);
            Set<EntryId> kept = new HashSet<>();
            entries.forEach(e -> kept.add(e.id()));
            branches = List.of(new Branch(Names.MAIN, head));
            checkpoints = source.checkpoints().stream().filter(c -> kept.contains(c.entry())).toList();
            current = Names.MAIN;
        }
        Set<EntryId> kept = new HashSet<>();
        entries.forEach(e -> kept.add(e.id()));
        EntryId initialHead = info.initialHead() != null && kept.contains(info.initialHead()) ? info.initialHead() : null;
        long lastSeq = entries.stream().mapToLong(Entry::seq).max().orElse(0);
        if (mode == CloneMode.FULL && at == null) {
            lastSeq = info.lastSeq();
        }
        Map<String, String> metadata = new LinkedHashMap<>(info.metadata());
        metadata.put("clonedFrom", sourceId.value());
        Instant absolute = info.absoluteExpiresAt() == null ? null
                : now.plus(java.time.Duration.between(info.createdAt(), info.absoluteExpiresAt()));
        SessionInfo cloned = new SessionInfo(parley.tenant(), id, info.user(), now, now,
                SessionInfo.expiryAt(now, absolute, info.idleTtl()), absolute, info.idleTtl(), metadata, 1, lastSeq, current,
                initialHead, info.settings());
        return importImage(new SessionImage(cloned, branches, checkpoints, entries, source.vault(), Map.of()));
    }

    /**
     * A new session whose main path interleaves the two sessions' main paths by time, a whole turn at
     * a time. The rule, documented in the README:
     * <ul>
     *   <li>the initial context (system prompt, initial prompts, initial state) is {@code a}'s;</li>
     *   <li>a turn is a user message and every message after it up to the next user message, so a
     *       tool call and its results are never separated; turns are ordered by the time of their first
     *       message, {@code a}'s first on a tie;</li>
     *   <li>session state is the union of both final states; a key in both takes the value of the
     *       session whose latest state change is newer ({@code a} on a tie);</li>
     *   <li>metadata is the union ({@code a} wins) plus {@code mergedFrom}; the user is {@code a}'s;</li>
     *   <li>pins and summaries are not carried over (they name entries of the sources).</li>
     * </ul>
     */
    Session merge(SessionId a, SessionId b, SessionId newId) {
        if (a.equals(b)) {
            throw new InvalidInputException("sources", "merge needs two different sessions: " + a + " twice");
        }
        Session left = parley.open(a);
        Session right = parley.open(b);
        SessionInfo leftInfo = left.info();
        List<Entry> leftPath = left.on(Names.MAIN).history();
        List<Entry> rightPath = right.on(Names.MAIN).history();
        int leftInitialDepth = initialDepth(leftInfo, leftPath);
        int rightInitialDepth = initialDepth(right.info(), rightPath);

        List<EntryDraft> initial = new ArrayList<>();
        for (Entry e : leftPath) {
            if (e.depth() <= leftInitialDepth && (e.kind() == EntryKind.MESSAGE || e.kind() == EntryKind.STATE)) {
                initial.add(new EntryDraft(e.at(), e.kind(), e.payload()));
            }
        }
        List<List<Entry>> turns = new ArrayList<>();
        turns.addAll(turns(leftPath, leftInitialDepth));
        List<List<Entry>> rightTurns = turns(rightPath, rightInitialDepth);
        List<List<Entry>> merged = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < turns.size() || j < rightTurns.size()) {
            boolean takeLeft = j >= rightTurns.size()
                    || (i < turns.size() && !turns.get(i).getFirst().at().isAfter(rightTurns.get(j).getFirst().at()));
            merged.add(takeLeft ? turns.get(i++) : rightTurns.get(j++));
        }
        List<EntryDraft> body = new ArrayList<>();
        merged.forEach(turn -> turn.forEach(e -> body.add(new EntryDraft(e.at(), e.kind(), e.payload()))));

        Map<String, String> state = mergedState(left, right);
        Map<String, String> leftState = left.stateAt(left.head());
        if (!state.equals(leftState)) {
            Set<String> removed = new HashSet<>(leftState.keySet());
            removed.removeAll(state.keySet());
            body.add(new EntryDraft(parley.now(), EntryKind.STATE, new Payload.StatePayload(state, removed, state)));
        }

        Map<String, String> metadata = new LinkedHashMap<>(right.info().metadata());
        metadata.putAll(leftInfo.metadata());
        metadata.put("mergedFrom", a.value() + "," + b.value());
        SessionId id = newId == null ? SessionId.random() : newId;
        Instant now = parley.now();
        store().create(new NewSession(parley.tenant(), id, leftInfo.user(), now, null, leftInfo.idleTtl(), metadata,
                leftInfo.settings(), initial));
        if (!body.isEmpty()) {
            store().write(parley.tenant(), id, WriteRequest.builder(now).append(Names.MAIN, body).build());
        }
        return parley.open(id);
    }

    private static int initialDepth(SessionInfo info, List<Entry> path) {
        if (info.initialHead() == null) {
            return 0;
        }
        return path.stream().filter(e -> e.id().equals(info.initialHead())).findFirst().map(Entry::depth).orElse(0);
    }

    /** The messages after the initial context, grouped into turns that each start at a user message. */
    private static List<List<Entry>> turns(List<Entry> path, int initialDepth) {
        List<List<Entry>> turns = new ArrayList<>();
        List<Entry> current = null;
        for (Entry e : path) {
            if (e.depth() <= initialDepth || e.kind() != EntryKind.MESSAGE) {
                continue;
            }
            Role role = switch (e.payload()) {
                case Payload.MessagePayload m -> m.message().role();
                case Payload.Redacted r -> r.role();
                default -> Role.ASSISTANT;
            };
            if (current == null || role == Role.USER) {
                current = new ArrayList<>();
                turns.add(current);
            }
            current.add(e);
        }
        return turns;
    }

    private static Map<String, String> mergedState(Session left, Session right) {
        List<Entry> leftVersions = left.stateVersions();
        List<Entry> rightVersions = right.stateVersions();
        Map<String, String> leftState = left.stateAt(left.head());
        Map<String, String> rightState = right.stateAt(right.head());
        Instant leftAt = leftVersions.isEmpty() ? Instant.MIN : leftVersions.getFirst().at();
        Instant rightAt = rightVersions.isEmpty() ? Instant.MIN : rightVersions.getFirst().at();
        Map<String, String> merged = new HashMap<>();
        if (rightAt.isAfter(leftAt)) {
            merged.putAll(leftState);
            merged.putAll(rightState);
        } else {
            merged.putAll(rightState);
            merged.putAll(leftState);
        }
        return merged;
    }
}
