package dev.parley.privacy;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Session;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.privacy.internal.SessionDataKeys;
import dev.parley.privacy.internal.VaultCipher;
import dev.parley.security.KeyChain;
import dev.parley.security.KeyRing;
import dev.parley.security.UserKeys;
import dev.parley.spi.PrivacyHook;
import dev.parley.store.SessionPatch;
import dev.parley.store.SessionStore;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The privacy layer of chat turns: plug it into a chat ({@code Chat.builder(session).privacy(privacy)}) and, in a
 * session that sanitises, the model and the store see placeholders while the caller sees originals. User input and
 * tool results are sanitised; replies, streamed text and the arguments tools run with are restored. Placeholders are
 * kept in the session's vault (see {@link VaultPlaceholderBook}), encrypted under the session's data key, which is
 * wrapped under its user's key-encryption key, which is wrapped under the master key ({@link KeyRing}).
 *
 * <pre>{@code
 * SessionPrivacy privacy = SessionPrivacy.builder(MasterKeys.forStore(location, System.getenv("PARLEY_MASTER_KEY")))
 *         .sanitizer(Sanitizer.builder().detector(Detectors.defaults(List.of("US", "GB"))).build())
 *         .build();
 * Session session = parley.create(SessionSpec.builder().user("alice").build());
 * SessionPrivacy.enable(session);
 * Chat chat = Chat.builder(session).model(model).privacy(privacy).build();
 * chat.send("Mail bob@example.com");   // the model reads "Mail <EMAIL_1>"
 * }</pre>
 *
 * <p><b>Which sessions sanitise.</b> A session's own setting ({@link #enable}, {@link #disable}; the CLI's
 * {@code sessions create --sanitize}) wins. A session without one sanitises when the hook says so by default
 * ({@link Builder#sanitizeByDefault}, e.g. from {@code PARLEY_SANITIZE=1}), and always once it has a vault key, so a
 * change of the default never starts storing originals in a session that was sanitised. A session that does not
 * sanitise still restores the placeholders it already has.
 *
 * <p><b>Not sanitised:</b> metadata, state (session, user and app scope), message author names and message metadata,
 * images, and text the model writes on its own. Keep personal data out of them, or sanitise it yourself with a
 * {@link Sanitizer} and {@link #book}.
 */
public final class SessionPrivacy implements PrivacyHook {
    /** The session setting that turns sanitising on ({@code true}) or off ({@code false}). */
    public static final String SANITIZE_SETTING = "privacy.sanitize";
    /** The session setting holding the session's wrapped data key. */
    public static final String DATA_KEY_SETTING = SessionDataKeys.SETTING;

    private final Sanitizer sanitizer;
    private final KeyChain chain;
    private final boolean sanitizeByDefault;

    private SessionPrivacy(Builder builder) {
        this.sanitizer = builder.sanitizer;
        this.chain = new KeyChain(builder.ring);
        this.sanitizeByDefault = builder.sanitizeByDefault;
    }

    public static Builder builder(KeyRing ring) {
        return new Builder(ring);
    }

    public Sanitizer sanitizer() {
        return sanitizer;
    }

    public KeyChain keyChain() {
        return chain;
    }

    // ---- the session setting ----------------------------------------------------------------------

    /** Makes {@code session} sanitise from its next turn on. */
    public static void enable(Session session) {
        setSanitizing(session, true);
    }

    /** Stops {@code session} sanitising new text; the placeholders it has are still restored. */
    public static void disable(Session session) {
        setSanitizing(session, false);
    }

    private static void setSanitizing(Session session, boolean on) {
        session.parley().store().write(session.tenant(), session.id(), WriteRequest.builder(now(session.parley().clock()))
                .patch(SessionPatch.settings(Map.of(SANITIZE_SETTING, Boolean.toString(on)), Set.of())).build());
    }

    /** Whether a session with this row sanitises new text under this hook (see the class comment). */
    public boolean isSanitizing(SessionInfo info) {
        String setting = info.settings().get(SANITIZE_SETTING);
        if (setting == null) {
            return sanitizeByDefault || info.settings().containsKey(DATA_KEY_SETTING);
        }
        return switch (setting) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(SANITIZE_SETTING, "session " + info.id() + " has setting "
                    + SANITIZE_SETTING + "='" + setting + "'; it must be true or false");
        };
    }

    /**
     * Reads an on/off configuration value such as {@code PARLEY_SANITIZE}: {@code 1/true/yes/on} or
     * {@code 0/false/no/off} (any case); absent or blank is off.
     */
    public static boolean parseSwitch(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new InvalidInputException(name, name + " must be 1/0, true/false, yes/no or on/off, got '" + value + "'");
        };
    }

    // ---- turns and books ----------------------------------------------------------------------------

    @Override
    public Turn start(Session session) {
        Loaded loaded = load(session);
        return new PrivateTurn(sanitizer, isSanitizing(loaded.info()), loaded.book(), () -> load(session).book());
    }

    /**
     * A session that neither sanitises nor has a data key holds no placeholders (vault rows need the key), and this
     * turn will issue none: its vault is not read, and its row is the one the turn has just read. Any other session
     * is loaded as {@link #start(Session)} does, vault first.
     */
    @Override
    public Turn start(Session session, SessionInfo known) {
        if (known.settings().containsKey(DATA_KEY_SETTING) || isSanitizing(known)) {
            return start(session);
        }
        return new PrivateTurn(sanitizer, false, book(session, List.of(), known), () -> load(session).book());
    }

    /** The session's placeholders as they are now in its vault: for restoring text outside a chat turn. */
    public VaultPlaceholderBook book(Session session) {
        return load(session).book();
    }

    private record Loaded(SessionInfo info, VaultPlaceholderBook book) {
    }

    private Loaded load(Session session) {
        SessionStore store = session.parley().store();
        TenantId tenant = session.tenant();
        SessionId id = session.id();
        // The vault first, then the row: a data key is always stored before the first vault row, so rows read
        // before the session row always come with their key.
        List<VaultRow> rows = store.vault(tenant, id);
        SessionInfo info = store.find(tenant, id).orElseThrow(() -> new NotFoundException("no session " + id)).info();
        return new Loaded(info, book(session, rows, info));
    }

    /** The placeholders of {@code rows}, read with the data key {@code info} holds; the key is made on first need. */
    private VaultPlaceholderBook book(Session session, List<VaultRow> rows, SessionInfo info) {
        SessionStore store = session.parley().store();
        SessionDataKeys keys = dataKeys(store, session.parley().clock());
        String name = "session " + session.id();
        VaultCipher cipher = keys.existing(info).map(k -> new VaultCipher(k, name)).orElse(null);
        return new VaultPlaceholderBook(name, rows, cipher,
                () -> new VaultCipher(keys.getOrCreate(store, session.tenant(), session.id()), name));
    }

    SessionDataKeys dataKeys(SessionStore store, Clock clock) {
        return new SessionDataKeys(new UserKeys(store, chain), clock);
    }

    static java.time.Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Configures a {@link SessionPrivacy}. */
    public static final class Builder {
        private final KeyRing ring;
        private Sanitizer sanitizer = Sanitizer.builder().build();
        private boolean sanitizeByDefault;

        private Builder(KeyRing ring) {
            this.ring = Objects.requireNonNull(ring, "ring");
        }

        /** The detectors and actions used (default: every built-in detector, pseudonymising everything). */
        public Builder sanitizer(Sanitizer value) {
            this.sanitizer = Objects.requireNonNull(value, "sanitizer");
            return this;
        }

        /** Whether sessions without their own setting sanitise (default: false). */
        public Builder sanitizeByDefault(boolean value) {
            this.sanitizeByDefault = value;
            return this;
        }

        public SessionPrivacy build() {
            return new SessionPrivacy(this);
        }
    }
}
