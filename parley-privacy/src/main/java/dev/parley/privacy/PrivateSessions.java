package dev.parley.privacy;

import dev.parley.CloneMode;
import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.privacy.internal.Placeholders;
import dev.parley.privacy.internal.VaultCipher;
import dev.parley.security.KeyChain;
import dev.parley.security.KeyEncryptionKey;
import dev.parley.security.UserKeys;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionImages;
import dev.parley.store.VaultRow;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Clone and merge for sessions with a vault. {@link Parley#clone} copies vault rows verbatim and {@link Parley#merge}
 * copies none, which would leave a copy sharing its source's key, or placeholders that restore to nothing; these do
 * the same copies and give the new session its own data key:
 * <ul>
 *   <li>{@link #cloneSession} re-encrypts, under the clone's new key, the rows its entries use (a clone cut at an entry
 *       or of the initial context only carries no originals it does not mention);</li>
 *   <li>{@link #merge} moves each source's placeholders into the merged session's numbering (the same value in both
 *       sources gets one placeholder, and no two values ever share one), then interleaves the turns as
 *       {@link Parley#merge} does. The merged session belongs to the first source's user, so the second source's
 *       originals end up under that user's key.</li>
 * </ul>
 * Both work through short-lived scratch sessions (expiring within an hour should the process die) and write the
 * result in one atomic import, so the new session either appears complete or not at all.
 */
public final class PrivateSessions {
    private static final Duration SCRATCH_LIFETIME = Duration.ofHours(1);

    private final Parley parley;
    private final SessionPrivacy privacy;

    public PrivateSessions(Parley parley, SessionPrivacy privacy) {
        this.parley = Objects.requireNonNull(parley, "parley");
        this.privacy = Objects.requireNonNull(privacy, "privacy");
    }

    /** Like {@link Parley#clone}, with the clone's placeholders under its own key. */
    public Session cloneSession(SessionId source, CloneMode mode, EntryId at, SessionId newId) {
        SessionId id = requireFree(newId);
        Session scratch = parley.clone(source, mode, at, SessionId.random());
        try {
            SessionImage image = parley.export(scratch.id());
            SessionInfo info = image.info();
            Map<String, String> settings = new LinkedHashMap<>(info.settings());
            List<VaultRow> rows = List.of();
            if (settings.containsKey(SessionPrivacy.DATA_KEY_SETTING)) {
                VaultPlaceholderBook sourceBook = privacy.book(scratch);
                VaultCipher cipher = newCipher(info, id, settings);
                rows = rekeyed(sourceBook, placeholdersIn(image.entries()), cipher);
            }
            SessionInfo renamed = withIdentity(info, id, info.metadata(), settings);
            parley.store().importSession(new SessionImage(renamed, image.branches(), image.checkpoints(), image.entries(),
                    rows, image.counters()));
        } finally {
            parley.delete(scratch.id());
        }
        return parley.open(id);
    }

    /** Like {@link Parley#merge}, with the sources' placeholders moved into one numbering under the new session's key. */
    public Session merge(SessionId a, SessionId b, SessionId newId) {
        if (Objects.requireNonNull(a, "a").equals(Objects.requireNonNull(b, "b"))) {
            throw new InvalidInputException("sources", "merge needs two different sessions: " + a + " twice");
        }
        Session left = parley.open(a);
        Session right = parley.open(b);
        SessionInfo leftInfo = left.info();
        boolean keyed = leftInfo.settings().containsKey(SessionPrivacy.DATA_KEY_SETTING)
                || right.info().settings().containsKey(SessionPrivacy.DATA_KEY_SETTING);
        if (!keyed) {
            return parley.merge(a, b, newId);
        }
        SessionId id = requireFree(newId);
        VaultPlaceholderBook leftBook = privacy.book(left);
        VaultPlaceholderBook rightBook = privacy.book(right);
        Map<String, String> settings = new LinkedHashMap<>(leftInfo.settings());
        VaultCipher cipher = newCipher(leftInfo, id, settings);
        VaultPlaceholderBook merged = new VaultPlaceholderBook("session " + id, List.of(), cipher, () -> cipher);

        List<SessionId> scratch = new ArrayList<>();
        try {
            SessionId leftCopy = remappedCopy(left, new PlaceholderRemap(leftBook, merged, null), settings);
            scratch.add(leftCopy);
            SessionId rightCopy = remappedCopy(right, new PlaceholderRemap(rightBook, merged, null), right.info().settings());
            scratch.add(rightCopy);
            Session interleaved = parley.merge(leftCopy, rightCopy, SessionId.random());
            scratch.add(interleaved.id());
            SessionImage image = parley.export(interleaved.id());
            Map<String, String> metadata = new LinkedHashMap<>(image.info().metadata());
            metadata.put("mergedFrom", a.value() + "," + b.value());
            SessionInfo info = withIdentity(image.info(), id, metadata, image.info().settings());
            parley.store().importSession(new SessionImage(info, image.branches(), image.checkpoints(), image.entries(),
                    merged.newRows(), image.counters()));
        } finally {
            scratch.forEach(parley::delete);
        }
        return parley.open(id);
    }

    private SessionId requireFree(SessionId newId) {
        SessionId id = newId == null ? SessionId.random() : newId;
        if (parley.exists(id)) {
            throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "session " + id + " already exists");
        }
        return id;
    }

    /** A new data key for the session {@code id} owned by {@code owner}'s user, wrapped into {@code settings}. */
    private VaultCipher newCipher(SessionInfo owner, SessionId id, Map<String, String> settings) {
        KeyEncryptionKey kek = new UserKeys(parley.store(), privacy.keyChain()).getOrCreate(parley.tenant(), owner.user());
        SecretKey dek = KeyChain.newDataKey();
        settings.put(SessionPrivacy.DATA_KEY_SETTING, KeyChain.wrapDataKey(kek, dek));
        return new VaultCipher(dek, "session " + id);
    }

    private static List<VaultRow> rekeyed(VaultPlaceholderBook source, Set<String> used, VaultCipher cipher) {
        List<VaultRow> rows = new ArrayList<>();
        for (String placeholder : used) {
            if (source.isReserved(placeholder)) {
                rows.add(cipher.sealReservation(placeholder));
            } else {
                source.mapping(placeholder).ifPresent(m ->
                        rows.add(cipher.sealMapping(placeholder, cipher.lookup(m.type(), m.key()), m.key(), m.original())));
            }
        }
        return rows;
    }

    /** Every placeholder-shaped text in the entries' messages, summaries and state, in a stable order. */
    private static Set<String> placeholdersIn(List<Entry> entries) {
        Set<String> found = new TreeSet<>();
        for (Entry entry : entries) {
            switch (entry.payload()) {
                case Payload.MessagePayload m -> collect(m.message(), found);
                case Payload.SummaryPayload s -> collect(s.text(), found);
                case Payload.StatePayload s -> {
                    s.set().values().forEach(v -> collect(v, found));
                    s.snapshot().values().forEach(v -> collect(v, found));
                }
                default -> {
                }
            }
        }
        return found;
    }

    private static void collect(Message message, Set<String> found) {
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t -> collect(t.text(), found);
                case Part.ToolCall c -> collect(c.arguments(), found);
                case Part.ToolResult r -> collect(r.content(), found);
                default -> {
                }
            }
        }
    }

    private static void collect(String text, Set<String> found) {
        for (int lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
            int end = Placeholders.endOfPlaceholderAt(text, lt);
            if (end > 0) {
                found.add(text.substring(lt, end));
            }
        }
    }

    /**
     * A scratch copy of {@code session}'s main path with its placeholders moved by {@code remap}: what
     * {@link Parley#merge} reads, and nothing else (other branches would only bring originals the merge never shows).
     */
    private SessionId remappedCopy(Session session, PlaceholderRemap remap, Map<String, String> settings) {
        SessionImage image = parley.export(session.id());
        EntryId head = image.branches().stream().filter(br -> br.name().equals(Names.MAIN)).findFirst()
                .map(Branch::head).orElse(null);
        List<Entry> path = head == null ? List.of() : SessionImages.pathWithin(image.entries(), head);
        List<Entry> entries = path.stream().map(e -> e.withPayload(remap.payload(e.payload()))).toList();
        Set<EntryId> kept = new HashSet<>();
        entries.forEach(e -> kept.add(e.id()));
        SessionInfo info = image.info();
        SessionId copy = SessionId.random();
        Instant expires = parley.clock().instant().plus(SCRATCH_LIFETIME);
        SessionInfo scratch = new SessionInfo(info.tenant(), copy, info.user(), info.createdAt(), info.updatedAt(),
                SessionInfo.expiryAt(info.updatedAt(), expires, info.idleTtl()), expires, info.idleTtl(), info.metadata(),
                info.version(), info.lastSeq(), Names.MAIN, kept.contains(info.initialHead()) ? info.initialHead() : null, settings);
        parley.store().importSession(new SessionImage(scratch, List.of(new Branch(Names.MAIN, head)), List.of(), entries,
                List.of(), Map.of()));
        return copy;
    }

    private static SessionInfo withIdentity(SessionInfo info, SessionId id, Map<String, String> metadata,
                                            Map<String, String> settings) {
        return new SessionInfo(info.tenant(), id, info.user(), info.createdAt(), info.updatedAt(), info.expiresAt(),
                info.absoluteExpiresAt(), info.idleTtl(), metadata, info.version(), info.lastSeq(), info.currentBranch(),
                info.initialHead(), settings);
    }
}
